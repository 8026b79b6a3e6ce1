package io.diveteacher.ingestion;

import java.net.URI;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Re-embedding from the admin API: the same job as {@code java -jar diveteacher.jar reembed}, in the background.
 * On a running application the vector index already fits the model; what is left to do is the chunks another model
 * embedded (or that have no language yet), or every chunk with {@code "all": true}.
 */
@RestController
@Tag(name = "Admin: ingestion jobs")
@SecurityRequirement(name = "admin")
class ReembedController {

    private final ReembedLauncher launcher;

    ReembedController(ReembedLauncher launcher) {
        this.launcher = launcher;
    }

    /** {@code {"all": true}} re-embeds every chunk, not only those the model in use has not embedded. */
    record ReembedRequest(Boolean all) {
    }

    record Launched(long executionId, String status, String statusUrl) {
    }

    @Operation(summary = "Re-embed the graph's chunks with the embedding model in use (resumes a stopped run)",
            responses = {
                    @ApiResponse(responseCode = "202", content = @Content(examples = @ExampleObject(value = """
                            {"execution_id": 12, "status": "STARTING", "status_url": "/api/admin/reembed/12"}"""))),
                    @ApiResponse(responseCode = "409", description = "A re-embedding is already running") })
    @PostMapping("/api/admin/reembed")
    ResponseEntity<Launched> reembed(@RequestBody(required = false) ReembedRequest request) throws Exception {
        JobExecution execution = launcher.start(request != null && Boolean.TRUE.equals(request.all()), true);
        String url = "/api/admin/reembed/" + execution.getId();
        return ResponseEntity.accepted().location(URI.create(url))
                .body(new Launched(execution.getId(), execution.getStatus().name(), url));
    }

    @Operation(summary = "A re-embedding: status, model, dimensions, chunks done of the total, errors")
    @GetMapping("/api/admin/reembed/{id}")
    ReembedLauncher.ReembedView get(@PathVariable long id) {
        return launcher.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND,
                "no re-embedding with execution id " + id));
    }
}
