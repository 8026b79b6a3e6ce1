package io.diveteacher.ingestion;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.io.IOException;
import java.net.URI;
import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.Objects;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.TaskExecutor;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The admin job API: launch an ingestion of a job definition or of a path inside an allowed root, watch it
 * (progress as JSON or as Server-Sent Events), stop it gracefully and restart it where it stopped. Jobs run in
 * the background; every call answers at once.
 */
@RestController
@Tag(name = "Admin: ingestion jobs")
@SecurityRequirement(name = "admin")
class AdminJobController {

    private final IngestionLauncher launcher;
    private final IngestionJobs jobs;
    private final JobDefinitions definitions;
    private final AllowedRoots roots;
    private final IngestionProperties properties;
    private final TaskExecutor streams;

    AdminJobController(IngestionLauncher launcher, IngestionJobs jobs, JobDefinitions definitions, AllowedRoots roots,
            IngestionProperties properties, @Qualifier("progressStreams") TaskExecutor streams) {
        this.streams = streams;
        this.launcher = launcher;
        this.jobs = jobs;
        this.definitions = definitions;
        this.roots = roots;
        this.properties = properties;
    }

    /**
     * {@code {"definition": "<name>"}} or {@code {"path": "<absolute folder or file>"}}, and {@code "no_cache": true}
     * to send every chunk to the model even when its result is cached.
     */
    record LaunchRequest(String definition, String path, Boolean noCache) {
    }

    /** What a launch, stop or restart answers: the execution and where to watch it. */
    record Launched(long executionId, String status, String statusUrl, String eventsUrl) {
        static Launched of(JobExecution execution) {
            String url = "/api/admin/jobs/" + execution.getId();
            return new Launched(execution.getId(), execution.getStatus().name(), url, url + "/events");
        }
    }

    /** The job definitions loaded from the jobs folder, and the files that had errors. */
    record Definitions(List<DefinitionView> definitions, List<String> errors) {
    }

    record DefinitionView(String name, String file, String source, String pattern, String schedule, boolean deleteMissing) {
    }

    @Operation(summary = "Launch the ingestion of a job definition or of a path inside an allowed root",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = {
                    @ExampleObject(name = "definition", value = "{\"definition\": \"samples\"}"),
                    @ExampleObject(name = "path", value = "{\"path\": \"/srv/manuals/new\"}") })),
            responses = {
                    @ApiResponse(responseCode = "202", content = @Content(examples = @ExampleObject(value = """
                            {"execution_id": 7, "status": "STARTING", "status_url": "/api/admin/jobs/7",
                             "events_url": "/api/admin/jobs/7/events"}"""))),
                    @ApiResponse(responseCode = "400", description = "Path outside the allowed roots, or a bad body"),
                    @ApiResponse(responseCode = "409", description = "The same definition or path is already running") })
    @PostMapping(path = "/api/admin/jobs", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Launched> launch(@RequestBody LaunchRequest request) throws Exception {
        boolean byDefinition = request.definition() != null && !request.definition().isBlank();
        boolean byPath = request.path() != null && !request.path().isBlank();
        if (byDefinition == byPath) {
            throw new IllegalArgumentException("give either \"definition\" (a job definition name: GET "
                    + "/api/admin/definitions lists them) or \"path\" (an absolute folder or PDF file inside an allowed root)");
        }
        IngestionRequest ingestion;
        if (byDefinition) {
            ingestion = definitions.find(request.definition())
                    .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no job definition named '"
                            + request.definition() + "' (GET /api/admin/definitions lists them)"))
                    .request(properties.settle());
        } else {
            ingestion = IngestionRequest.ofPaths(List.of(roots.resolve(request.path()).toString()), properties.settle());
        }
        JobExecution execution = launcher.start(ingestion.withNoCache(Boolean.TRUE.equals(request.noCache())));
        Launched launched = Launched.of(execution);
        return ResponseEntity.accepted().location(URI.create(launched.statusUrl())).body(launched);
    }

    @Operation(summary = "The latest executions with status and progress (limit 1 to 200)")
    @GetMapping("/api/admin/jobs")
    List<IngestionJobs.JobView> list(@RequestParam(defaultValue = "20")
            @Min(value = 1, message = "limit must be between 1 and 200, was ${validatedValue}")
            @Max(value = 200, message = "limit must be between 1 and 200, was ${validatedValue}") int limit) {
        return jobs.recent(limit);
    }

    @Operation(summary = "One execution: status, times, progress (documents and chunks, percent, ETA), documents, errors",
            responses = @ApiResponse(responseCode = "200", content = @Content(examples = @ExampleObject(value = """
                    {"execution_id": 7, "status": "STARTED", "exit_status": "UNKNOWN", "start_time": "2026-11-27T06:33:49Z",
                     "end_time": null, "definition": "samples", "sources": ["/srv/manuals"],
                     "progress": {"documents_total": 20, "documents_done": 8, "documents_failed": 1, "documents_skipped": 3,
                                  "chunks_total": 640, "chunks_done": 301, "chunks_failed": 2, "percent": 47.3,
                                  "eta_seconds": 412},
                     "documents": [{"document_id": "e1d2...", "file": "manual.pdf", "status": "INGESTING", "reason": null,
                                    "chunks": 32}], "errors": []}"""))))
    @GetMapping("/api/admin/jobs/{id}")
    IngestionJobs.JobView get(@PathVariable long id) {
        return jobs.find(id).orElseThrow(() -> notFound(id));
    }

    @Operation(summary = "Progress as Server-Sent Events (progress events, then one status event at the end)")
    @GetMapping(path = "/api/admin/jobs/{id}/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter events(@PathVariable long id) {
        jobs.execution(id).orElseThrow(() -> notFound(id));
        SseEmitter emitter = new SseEmitter(0L);
        streams.execute(() -> {
            try {
                IngestionJobs.Progress last = null;
                while (true) {
                    JobExecution execution = jobs.execution(id).orElseThrow();
                    IngestionJobs.JobView view = jobs.view(execution, false);
                    // Over once it has an end time: a stopped job writes its last chunks before that.
                    if (execution.getEndTime() != null) {
                        emitter.send(SseEmitter.event().name("status").data(jobs.view(execution, true), MediaType.APPLICATION_JSON));
                        emitter.complete();
                        return;
                    }
                    if (!Objects.equals(last, view.progress())) {
                        emitter.send(SseEmitter.event().name("progress").data(view, MediaType.APPLICATION_JSON));
                        last = view.progress();
                    }
                    Thread.sleep(properties.progressInterval().toMillis());
                }
            } catch (IOException | IllegalStateException e) {
                // the client went away
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                emitter.complete();
            } catch (RuntimeException e) {
                emitter.completeWithError(e);
            }
        });
        return emitter;
    }

    @Operation(summary = "Stop a running execution gracefully: the chunks in progress are written first")
    @PostMapping("/api/admin/jobs/{id}/stop")
    ResponseEntity<Launched> stop(@PathVariable long id) throws Exception {
        JobExecution execution = jobs.execution(id).orElseThrow(() -> notFound(id));
        if (!execution.getStatus().isRunning()) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "execution " + id + " is " + execution.getStatus()
                    + ", not running: there is nothing to stop");
        }
        launcher.stop(execution);
        return ResponseEntity.accepted().body(Launched.of(jobs.execution(id).orElseThrow()));
    }

    @Operation(summary = "Restart a STOPPED or FAILED execution where it stopped; with recover=true also one still "
            + "marked running whose process is gone (a manager that died)")
    @PostMapping("/api/admin/jobs/{id}/restart")
    ResponseEntity<Launched> restart(@PathVariable long id, @RequestParam(defaultValue = "false") boolean recover)
            throws Exception {
        JobExecution execution = jobs.execution(id).orElseThrow(() -> notFound(id));
        if (recover && execution.getStatus().isRunning()) {
            if (launcher.runsHere(id)) {
                throw new ResponseStatusException(HttpStatus.CONFLICT, "execution " + id + " is running in this "
                        + "process: stop it instead");
            }
            execution = launcher.recover(execution);
        }
        BatchStatus status = execution.getStatus();
        // Stopped, but its job thread here still waits for partitions to finish their current chunk (remote mode).
        if ((status == BatchStatus.STOPPED || status == BatchStatus.FAILED)
                && (execution.getEndTime() == null || launcher.runsHere(id))) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "execution " + id + " is still winding down (" + status
                    + " without an end time yet); try again in a moment");
        }
        if (status != BatchStatus.STOPPED && status != BatchStatus.FAILED) {
            throw new ResponseStatusException(HttpStatus.CONFLICT, "execution " + id + " is " + status
                    + ": only a STOPPED or FAILED execution can be restarted (if the process that ran it is gone, "
                    + "restart with ?recover=true)");
        }
        JobExecution restarted = launcher.restart(execution);
        Launched launched = Launched.of(restarted);
        return ResponseEntity.accepted().location(URI.create(launched.statusUrl())).body(launched);
    }

    @Operation(summary = "The job definitions loaded from the jobs folder, and the files with errors")
    @GetMapping("/api/admin/definitions")
    Definitions definitions() {
        return new Definitions(definitions.all().stream().map(d -> new DefinitionView(d.name(), d.file().toString(),
                d.source().toString(), d.pattern(), d.schedule() == null ? null : d.schedule().toString(), d.deleteMissing()))
                .toList(), definitions.errors());
    }

    private static ResponseStatusException notFound(long id) {
        return new ResponseStatusException(HttpStatus.NOT_FOUND, "no job execution " + id + " (GET /api/admin/jobs lists them)");
    }

}
