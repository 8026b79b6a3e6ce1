package io.diveteacher.graph;

import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** The read-only catalogue and statistics endpoints. */
@RestController
class GraphController {

    private final DocumentCatalog catalog;
    private final GraphQueries queries;

    GraphController(DocumentCatalog catalog, GraphQueries queries) {
        this.catalog = catalog;
        this.queries = queries;
    }

    @GetMapping("/api/graph/stats")
    GraphStats stats() {
        return queries.stats();
    }

    @GetMapping("/api/documents")
    List<StoredDocument> documents() {
        return catalog.list();
    }

    @GetMapping("/api/documents/{id}")
    StoredDocument document(@PathVariable String id) {
        return catalog.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "no document with id " + id + " (GET /api/documents lists them)"));
    }
}
