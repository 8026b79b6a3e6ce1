package io.diveteacher.graph;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Entity search, an entity's facts and passages, and its neighbourhood: what the graph page draws. */
@RestController
@Tag(name = "Documents and graph")
class EntityController {

    private static final int MAX_QUERY = 200;
    private static final String QUERY_MESSAGE = "q must hold the words to search for, 1 to 200 characters";

    private final EntityExplorer explorer;

    EntityController(EntityExplorer explorer) {
        this.explorer = explorer;
    }

    record Entities(List<EntityExplorer.EntityHit> entities) {
    }

    @Operation(summary = "Entities whose name or description has the words of q (the last word as a prefix)",
            description = "q: 1 to 200 characters; limit 1 to 100 (default 20)")
    @GetMapping("/api/graph/entities")
    Entities search(
            @RequestParam(required = false) @NotBlank(message = QUERY_MESSAGE) @Size(max = MAX_QUERY, message = QUERY_MESSAGE)
            String q,
            @RequestParam(defaultValue = "20") @Min(value = 1, message = "limit must be between 1 and 100, was ${validatedValue}")
            @Max(value = 100, message = "limit must be between 1 and 100, was ${validatedValue}") int limit) {
        return new Entities(explorer.search(q, limit));
    }

    @Operation(summary = "An entity: description, aliases, facts (its relationships) and the passages that mention it")
    @GetMapping("/api/graph/entities/{id}")
    EntityExplorer.EntityDetails entity(@PathVariable String id) {
        return explorer.details(id, 30, 12).orElseThrow(() -> notFound(id));
    }

    @Operation(summary = "An entity's neighbourhood: hops 1 or 2, at most limit relationships (1 to 200), "
            + "the best supported first")
    @GetMapping("/api/graph/entities/{id}/neighbourhood")
    EntityExplorer.Neighbourhood neighbourhood(@PathVariable String id,
            @RequestParam(defaultValue = "1") @Min(value = 1, message = "hops must be 1 or 2, was ${validatedValue}")
            @Max(value = 2, message = "hops must be 1 or 2, was ${validatedValue}") int hops,
            @RequestParam(defaultValue = "50") @Min(value = 1, message = "limit must be between 1 and 200, was ${validatedValue}")
            @Max(value = 200, message = "limit must be between 1 and 200, was ${validatedValue}") int limit) {
        return explorer.neighbourhood(id, hops, limit).orElseThrow(() -> notFound(id));
    }

    private static ResponseStatusException notFound(String id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "no entity with id " + id
                + " (GET /api/graph/entities?q=... finds them)");
    }
}
