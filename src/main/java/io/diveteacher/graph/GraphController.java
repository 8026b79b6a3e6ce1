package io.diveteacher.graph;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** The document catalogue (read by anyone, delete by the admin) and the graph statistics. */
@RestController
@Tag(name = "Documents and graph")
class GraphController {

    private final DocumentCatalog catalog;
    private final GraphQueries queries;

    GraphController(DocumentCatalog catalog, GraphQueries queries) {
        this.catalog = catalog;
        this.queries = queries;
    }

    @Operation(summary = "Node and relationship counts by label and type, and the state of each index")
    @GetMapping("/api/graph/stats")
    GraphStats stats() {
        return queries.stats();
    }

    /** One page of the catalogue. */
    record DocumentPage(List<StoredDocument> documents, int page, int size, long total) {
    }

    @Operation(summary = "The document catalogue, a page at a time (page from 0, size 1 to 500)")
    @GetMapping("/api/documents")
    DocumentPage documents(
            @RequestParam(defaultValue = "0") @Min(value = 0, message = "page must be 0 or more, was ${validatedValue}")
            int page,
            @RequestParam(defaultValue = "50") @Min(value = 1, message = "size must be between 1 and 500, was ${validatedValue}")
            @Max(value = 500, message = "size must be between 1 and 500, was ${validatedValue}") int size) {
        return new DocumentPage(catalog.page(page, size), page, size, catalog.count());
    }

    /**
     * Removes a document, its chunks, and the entities and relationships no other document supports. Deleting a
     * document that is not (or no longer) there succeeds too: the result is the same.
     */
    @Operation(summary = "Delete a document, its chunks and the entities only it supports (admin; idempotent)",
            security = @SecurityRequirement(name = "admin"))
    @DeleteMapping("/api/documents/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
        catalog.delete(id);
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "One document: file, title, pages, checksum, status and reason, counts, models")
    @GetMapping("/api/documents/{id}")
    StoredDocument document(@PathVariable String id) {
        return catalog.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "no document with id " + id + " (GET /api/documents lists them)"));
    }
}
