package io.diveteacher.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.diveteacher.inference.OllamaTestServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The admin API over HTTP as an operator uses it: launching by definition or path, progress, stop and restart
 * while a slow test Ollama server makes a job take seconds, the allowed roots, uploads, deletes and who may
 * call what.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "diveteacher.security.admin-password=s3cret-admin", "diveteacher.security.requests-per-minute=0",
        "diveteacher.ingestion.settle=100ms", "diveteacher.ingestion.progress-interval=100ms",
        "diveteacher.ingestion.scheduling-enabled=false", "diveteacher.ingestion.retry-backoff=10ms",
        "spring.servlet.multipart.max-file-size=1MB", "spring.servlet.multipart.max-request-size=1MB" })
class AdminApiIT {

    /** The chunks of the four English samples. */
    private static final long SAMPLE_CHUNKS = 13;

    static final OllamaTestServer OLLAMA = new OllamaTestServer();
    static final Path WORK = temporaryDirectory();
    static final Path ALLOWED = WORK.resolve("allowed");
    static final Path JOBS = WORK.resolve("jobs");
    static final Path MANUALS = WORK.resolve("manuals");
    static final JsonMapper JSON = JsonMapper.shared();
    static final String ADMIN = "Basic " + Base64.getEncoder().encodeToString("admin:s3cret-admin".getBytes(StandardCharsets.UTF_8));

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Files.createDirectories(ALLOWED);
        Files.createDirectories(MANUALS);
        Files.createDirectories(JOBS);
        copySamples(MANUALS, "nitrox-basics.pdf", "buoyancy-and-equipment.pdf");
        Files.writeString(JOBS.resolve("manuals.yml"), "name: manuals\nsource: ../manuals\n");
        Files.writeString(JOBS.resolve("broken.yml"), "name: broken\nsource: ../manuals\nschedule: \"every hour\"\n");
        copySamples(Files.createDirectories(WORK.resolve("gear")), "nitrox-basics.pdf");
        copySamples(Files.createDirectories(WORK.resolve("mirrored")), "nitrox-basics.pdf", "buoyancy-and-equipment.pdf");
        Files.writeString(JOBS.resolve("mirrored.yml"), "source: ../mirrored\ndelete_missing: true\n");
        copySamples(Files.createDirectories(WORK.resolve("kept")), "nitrox-basics.pdf", "buoyancy-and-equipment.pdf");
        Files.writeString(JOBS.resolve("kept.yml"), "source: ../kept\n");
        Files.writeString(JOBS.resolve("gear.yml"), """
                source: ../gear
                chunking:
                  max_tokens: 64
                ontology:
                  entity_types:
                    - name: Gear
                    - name: Concept
                  relationship_types:
                    - name: USES
                """);
        registry.add("diveteacher.data-dir", () -> WORK.resolve("data").toString());
        registry.add("diveteacher.ingestion.jobs-directory", JOBS::toString);
        registry.add("diveteacher.ingestion.allowed-roots", ALLOWED::toString);
        registry.add("spring.ai.ollama.base-url", OLLAMA::baseUrl);
    }

    @LocalServerPort
    int port;

    @Autowired
    Driver driver;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private long slowestStatusMillis;
    private final List<Long> statusMillis = new java.util.concurrent.CopyOnWriteArrayList<>();

    @Autowired
    javax.sql.DataSource dataSource;

    /** Each test pays for its model calls (the tests' timings rely on them): no results cached by an earlier one. */
    @BeforeEach
    void resetOllama() {
        OLLAMA.reset();
        new org.springframework.jdbc.core.JdbcTemplate(dataSource).update("DELETE FROM DIVETEACHER_MODEL_RESULTS");
    }

    @AfterAll
    static void stop() {
        OLLAMA.close();
    }

    // --- who may call what

    @Test
    void adminEndpointsNeedTheAdminAndEverythingElseIsOpen() throws Exception {
        List<HttpRequest.Builder> admin = List.of(
                post("/api/admin/jobs", "{\"definition\": \"manuals\"}"),
                get("/api/admin/jobs"), get("/api/admin/jobs/1"), get("/api/admin/jobs/1/events"),
                post("/api/admin/jobs/1/stop", ""), post("/api/admin/jobs/1/restart", ""), get("/api/admin/definitions"),
                request("/api/upload").header("Content-Type", "multipart/form-data; boundary=x")
                        .POST(HttpRequest.BodyPublishers.ofString("--x--")),
                request("/api/documents/some-id").DELETE());
        for (HttpRequest.Builder builder : admin) {
            HttpResponse<String> anonymous = send(builder.copy());
            assertThat(anonymous.statusCode()).as(builder.build().uri() + " without credentials").isEqualTo(401);
            assertThat(anonymous.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(anonymous.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Basic");
            HttpResponse<String> wrong = send(builder.copy().header("Authorization",
                    "Basic " + Base64.getEncoder().encodeToString("admin:guess".getBytes(StandardCharsets.UTF_8))));
            assertThat(wrong.statusCode()).as(builder.build().uri() + " with a wrong password").isEqualTo(401);
        }
        assertThat(send(get("/api/admin/definitions").header("Authorization", ADMIN)).statusCode()).isEqualTo(200);
        assertThat(send(request("/api/documents/some-id").DELETE().header("Authorization", ADMIN)).statusCode()).isEqualTo(204);

        for (String open : List.of("/api/documents", "/api/documents?page=0&size=2", "/api/graph/stats", "/api/health",
                "/v3/api-docs", "/actuator/health")) {
            assertThat(send(get(open)).statusCode()).as(open).isEqualTo(200);
        }
        assertThat(send(post("/api/query", "{\"question\": \"What is nitrox?\"}")).statusCode()).isEqualTo(200);
        assertThat(send(get("/api/documents/unknown")).statusCode()).isEqualTo(404);
    }

    @Test
    void definitionsAreListedAndABrokenOneIsReportedWithFileAndLine() throws Exception {
        JsonNode definitions = JSON.readTree(send(get("/api/admin/definitions").header("Authorization", ADMIN)).body());

        assertThat(definitions.path("definitions")).extracting(d -> d.path("name").asString())
                .containsExactly("gear", "kept", "manuals", "mirrored");
        assertThat(definitions.path("definitions").get(2).path("source").asString()).isEqualTo(MANUALS.toRealPath().toString());
        assertThat(definitions.path("errors")).singleElement().asString()
                .contains("broken.yml:3: schedule 'every hour' is not a Spring cron expression");
    }

    @Test
    void theOpenApiDescriptionCoversEveryEndpointAndMetricsAreExported() throws Exception {
        JsonNode api = JSON.readTree(send(get("/v3/api-docs")).body());
        assertThat(api.path("paths").propertyNames()).contains("/api/query", "/api/health", "/api/documents",
                "/api/documents/{id}", "/api/graph/stats", "/api/upload", "/api/admin/jobs", "/api/admin/jobs/{id}",
                "/api/admin/jobs/{id}/events", "/api/admin/jobs/{id}/stop", "/api/admin/jobs/{id}/restart",
                "/api/admin/definitions");
        assertThat(api.path("paths").path("/api/query").path("post").path("summary").asString()).isNotBlank();
        assertThat(api.path("paths").path("/api/admin/jobs").path("post").path("security").toString()).contains("admin");
        assertThat(api.path("components").path("securitySchemes").path("admin").path("scheme").asString()).isEqualTo("basic");
        assertThat(send(get("/swagger-ui/index.html")).statusCode()).isEqualTo(200);

        Path folder = Files.createDirectories(ALLOWED.resolve("metrics-" + UUID.randomUUID()));
        copySamples(folder, "nitrox-basics.pdf");
        long id = JSON.readTree(send(post("/api/admin/jobs", "{\"path\": \"" + folder + "\"}").header("Authorization", ADMIN))
                .body()).path("execution_id").asLong();
        waitFor(id, j -> !j.path("end_time").isNull());
        send(post("/api/query", "{\"question\": \"What is the maximum operating depth of EAN32?\"}"));

        String metrics = send(get("/actuator/prometheus")).body();
        assertThat(metrics).contains("diveteacher_ingestion_documents_total{status=\"INGESTED\"}")
                .contains("diveteacher_ingestion_chunks_total{outcome=\"written\"}")
                .containsPattern("diveteacher_model_calls_seconds_count\\{kind=\"chat\",model=\"[^\"]+\",outcome=\"success\"}")
                .contains("diveteacher_model_calls_seconds_count{kind=\"answer\"")
                .contains("diveteacher_model_tokens_total{kind=\"answer\"")
                .contains("diveteacher_model_tokens_total{kind=\"chat\"")
                // Ollama's HTTP calls are timed once, above, not a second time per request by Spring Boot.
                .doesNotContain("http_client_requests")
                .contains("diveteacher_model_waiting{kind=\"chat\"}")
                .contains("diveteacher_query_seconds_count{outcome=\"answered\"}")
                .contains("spring_batch_job_seconds_count");
    }

    // --- launching, progress, stop, restart

    @Test
    void aJobIsLaunchedStoppedAndRestartedAndItsProgressReaches100() throws Exception {
        Path folder = Files.createDirectories(ALLOWED.resolve("run-" + UUID.randomUUID()));
        copySamples(folder);
        // Slow enough that the stop below finds a document waiting for the model.
        OLLAMA.chatDelay(1500);

        HttpResponse<String> launched = send(post("/api/admin/jobs", "{\"path\": \"" + folder + "\"}").header("Authorization", ADMIN));

        assertThat(launched.statusCode()).as(launched.body()).isEqualTo(202);
        JsonNode body = JSON.readTree(launched.body());
        long id = body.path("execution_id").asLong();
        assertThat(body.path("status_url").asString()).isEqualTo("/api/admin/jobs/" + id);
        assertThat(launched.headers().firstValue("Location").orElse("")).endsWith("/api/admin/jobs/" + id);

        slowestStatusMillis = 0;
        JsonNode running = waitFor(id, j -> j.path("progress").path("chunks_done").asLong() > 0);
        System.out.println("A running job as GET /api/admin/jobs/" + id + " shows it:\n" + running.toPrettyString());
        JsonNode progress = running.path("progress");
        assertThat(running.path("status").asString()).isEqualTo("STARTED");
        assertThat(progress.path("documents_total").asInt()).isEqualTo(4);
        // Documents are counted as they are read: those not started yet are still to count.
        assertThat(progress.path("chunks_total").asLong()).isPositive().isLessThanOrEqualTo(SAMPLE_CHUNKS);
        assertThat(progress.path("documents_counting").asInt()).isBetween(0, 3);
        assertThat(progress.path("percent").asDouble()).isGreaterThan(0).isLessThan(100);
        assertThat(running.path("documents")).hasSize(4);

        // The same folder again while it runs: a conflict that names the running execution.
        HttpResponse<String> again = send(post("/api/admin/jobs", "{\"path\": \"" + folder + "\"}").header("Authorization", ADMIN));
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(again.body()).path("execution_id").asLong()).isEqualTo(id);

        HttpResponse<String> stopped = send(post("/api/admin/jobs/" + id + "/stop", "").header("Authorization", ADMIN));
        assertThat(stopped.statusCode()).as(stopped.body()).isEqualTo(202);
        JsonNode afterStop = waitFor(id, j -> !j.path("end_time").isNull());
        assertThat(afterStop.path("status").asString()).isEqualTo("STOPPED");
        long doneAtStop = afterStop.path("progress").path("chunks_done").asLong();
        assertThat(doneAtStop).isLessThan(SAMPLE_CHUNKS);
        // Figures, not a timing assertion: how long the status call took at worst while the job ran.
        System.out.println("Slowest GET /api/admin/jobs/" + id + " while the job ran: " + slowestStatusMillis + " ms");
        assertThat(send(post("/api/admin/jobs/" + id + "/stop", "").header("Authorization", ADMIN)).statusCode()).isEqualTo(409);

        // Spring Batch 6 gives a stopped execution its end time at once, while its documents still finish the chunk
        // they are in (here: waiting for the model); a restart then would run them beside themselves.
        HttpResponse<String> early = send(post("/api/admin/jobs/" + id + "/restart", "").header("Authorization", ADMIN));
        assertThat(early.statusCode()).as(early.body()).isEqualTo(409);
        assertThat(early.body()).contains("still winding down");
        OLLAMA.chatDelay(0);
        HttpResponse<String> restarted = early;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (restarted.statusCode() == 409 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            restarted = send(post("/api/admin/jobs/" + id + "/restart", "").header("Authorization", ADMIN));
        }
        assertThat(restarted.statusCode()).as(restarted.body()).isEqualTo(202);
        long second = JSON.readTree(restarted.body()).path("execution_id").asLong();
        assertThat(second).isNotEqualTo(id);
        // While it runs, the restart's progress starts from what the first execution did, not from nothing.
        JsonNode resuming = JSON.readTree(send(get("/api/admin/jobs/" + second).header("Authorization", ADMIN)).body());
        assertThat(resuming.path("end_time").isNull()).as("the restart still runs: " + resuming).isTrue();
        assertThat(resuming.path("progress").path("chunks_done").asLong()).as(resuming.toString())
                .isGreaterThanOrEqualTo(doneAtStop);
        JsonNode finished = waitFor(second, j -> !j.path("end_time").isNull());

        assertThat(finished.path("status").asString()).as(finished.toString()).isEqualTo("COMPLETED");
        JsonNode last = finished.path("progress");
        assertThat(last.path("percent").asDouble()).isEqualTo(100.0);
        assertThat(last.path("chunks_done").asLong()).isEqualTo(SAMPLE_CHUNKS);
        assertThat(last.path("chunks_total").asLong()).isEqualTo(SAMPLE_CHUNKS);
        assertThat(last.path("documents_counting").asInt()).isZero();
        assertThat(last.path("documents_done").asInt()).isEqualTo(4);
        assertThat(finished.path("documents")).allSatisfy(d -> assertThat(d.path("status").asString()).isEqualTo("INGESTED"));
        assertThat(send(post("/api/admin/jobs/" + second + "/restart", "").header("Authorization", ADMIN)).statusCode())
                .isEqualTo(409);
        JsonNode list = JSON.readTree(send(get("/api/admin/jobs?limit=5").header("Authorization", ADMIN)).body());
        assertThat(list).extracting(j -> j.path("execution_id").asLong()).contains(id, second);
    }

    @Autowired
    org.springframework.batch.core.repository.JobRepository jobRepository;

    @Test
    void anExecutionLeftRunningByAProcessThatDiedIsRestartedWithRecover() throws Exception {
        Path folder = Files.createDirectories(ALLOWED.resolve("left-running"));
        copySamples(folder, "nitrox-basics.pdf");
        // What a manager killed with kill -9 leaves in a shared job repository: an execution marked STARTED.
        var parameters = IngestionRequest.ofPaths(List.of(folder.toString()), Duration.ZERO).parameters();
        var instance = jobRepository.createJobInstance(IngestionJobConfiguration.JOB, parameters);
        var dead = jobRepository.createJobExecution(instance, parameters,
                new org.springframework.batch.infrastructure.item.ExecutionContext());
        dead.setStatus(org.springframework.batch.core.BatchStatus.STARTED);
        dead.setStartTime(java.time.LocalDateTime.now());
        jobRepository.update(dead);

        HttpResponse<String> refused = send(post("/api/admin/jobs/" + dead.getId() + "/restart", "")
                .header("Authorization", ADMIN));
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(JSON.readTree(refused.body()).path("detail").asString()).contains("is STARTED")
                .contains("restart with ?recover=true");

        HttpResponse<String> restarted = send(post("/api/admin/jobs/" + dead.getId() + "/restart?recover=true", "")
                .header("Authorization", ADMIN));

        assertThat(restarted.statusCode()).as(restarted.body()).isEqualTo(202);
        long second = JSON.readTree(restarted.body()).path("execution_id").asLong();
        assertThat(second).isNotEqualTo(dead.getId());
        assertThat(waitFor(second, j -> !j.path("end_time").isNull()).path("status").asString()).isEqualTo("COMPLETED");
        JsonNode recovered = JSON.readTree(send(get("/api/admin/jobs/" + dead.getId()).header("Authorization", ADMIN)).body());
        assertThat(recovered.path("status").asString()).isEqualTo("FAILED");
    }

    @Test
    void noCacheSendsCachedChunksToTheModelAgain() throws Exception {
        Path first = Files.createDirectories(ALLOWED.resolve("cached-" + UUID.randomUUID()));
        copySamples(first, "nitrox-basics.pdf");
        long id = JSON.readTree(send(post("/api/admin/jobs", "{\"path\": \"" + first + "\"}").header("Authorization", ADMIN))
                .body()).path("execution_id").asLong();
        JsonNode extracted = waitFor(id, j -> !j.path("end_time").isNull());
        long chunks = extracted.path("model_chunks").asLong();
        assertThat(chunks).isPositive();
        Path copy = Files.createDirectories(ALLOWED.resolve("copy-" + UUID.randomUUID()));
        copySamples(copy, "nitrox-basics.pdf");
        OLLAMA.reset();

        long bypassing = JSON.readTree(send(post("/api/admin/jobs", "{\"path\": \"" + copy + "\", \"no_cache\": true}")
                .header("Authorization", ADMIN)).body()).path("execution_id").asLong();
        JsonNode done = waitFor(bypassing, j -> !j.path("end_time").isNull());

        assertThat(done.path("status").asString()).isEqualTo("COMPLETED");
        assertThat(done.path("no_cache").asBoolean()).isTrue();
        assertThat(done.path("model_chunks").asLong()).isEqualTo(chunks);
        assertThat(done.path("cached_chunks").asLong()).isZero();
        assertThat(OLLAMA.chatCalls()).isEqualTo((int) chunks);
    }

    @Test
    void aTwentyDocumentJobShowsWhatAnOperatorNeedsWhileItRuns() throws Exception {
        Path folder = Files.createDirectories(ALLOWED.resolve("twenty-" + UUID.randomUUID()));
        for (int copy = 1; copy <= 5; copy++) {
            copySamples(Files.createDirectories(folder.resolve("shelf-" + copy)));
        }
        OLLAMA.chatDelay(300);
        long id = JSON.readTree(send(post("/api/admin/jobs", "{\"path\": \"" + folder + "\"}").header("Authorization", ADMIN))
                .body()).path("execution_id").asLong();
        slowestStatusMillis = 0;
        statusMillis.clear();

        JsonNode halfway = waitFor(id, j -> j.path("progress").path("percent").asDouble() >= 40);
        System.out.println("A 20-document job at GET /api/admin/jobs/" + id + " (progress and the first documents):\n"
                + halfway.path("progress").toPrettyString() + "\n" + halfway.path("documents").get(0).toPrettyString());
        assertThat(halfway.path("progress").path("documents_total").asInt()).isEqualTo(20);
        assertThat(halfway.path("progress").path("chunks_total").asLong()).isPositive()
                .isLessThanOrEqualTo(5 * SAMPLE_CHUNKS);
        assertThat(halfway.path("progress").path("eta_seconds").isNumber()).isTrue();
        assertThat(halfway.path("documents")).hasSize(20);

        OLLAMA.chatDelay(0);
        JsonNode done = waitFor(id, j -> !j.path("end_time").isNull());
        assertThat(done.path("status").asString()).isEqualTo("COMPLETED");
        assertThat(done.path("progress").path("documents_done").asInt()).isEqualTo(20);
        assertThat(done.path("progress").path("chunks_done").asLong()).isEqualTo(5 * SAMPLE_CHUNKS);
        assertThat(done.path("progress").path("chunks_total").asLong()).isEqualTo(5 * SAMPLE_CHUNKS);
        // Five copies of the same four manuals: the copies' chunks come from the cache once one is extracted.
        assertThat(done.path("cached_chunks").asLong() + done.path("model_chunks").asLong()).isEqualTo(5 * SAMPLE_CHUNKS);
        assertThat(done.path("cached_chunks").asLong()).isGreaterThanOrEqualTo(2 * SAMPLE_CHUNKS);
        assertThat(done.path("slot_efficiency").isNumber()).isTrue();
        assertThat(done.path("no_cache").asBoolean()).isFalse();
        List<Long> sorted = statusMillis.stream().sorted().toList();
        System.out.println("GET /api/admin/jobs/" + id + " while the 20-document job ran: " + sorted.size() + " calls, median "
                + sorted.get(sorted.size() / 2) + " ms, slowest " + slowestStatusMillis + " ms");
    }

    @Test
    void theEventsStreamSendsProgressWhileTheJobRunsAndEndsWithItsStatus() throws Exception {
        Path folder = Files.createDirectories(ALLOWED.resolve("events-" + UUID.randomUUID()));
        copySamples(folder, "nitrox-basics.pdf", "no-stop-limits-and-decompression.pdf");
        OLLAMA.chatDelay(200);
        long id = JSON.readTree(send(post("/api/admin/jobs", "{\"path\": \"" + folder + "\"}").header("Authorization", ADMIN))
                .body()).path("execution_id").asLong();

        HttpResponse<InputStream> events = http.send(get("/api/admin/jobs/" + id + "/events").header("Authorization", ADMIN)
                .header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofInputStream());

        List<String> names = new ArrayList<>();
        List<Double> percents = new ArrayList<>();
        JsonNode end = null;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8))) {
            String name = null;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("event:")) {
                    name = line.substring(6).strip();
                    names.add(name);
                } else if (line.startsWith("data:")) {
                    JsonNode data = JSON.readTree(line.substring(5));
                    percents.add(data.path("progress").path("percent").asDouble());
                    if ("status".equals(name)) {
                        end = data;
                    }
                }
            }
        }
        assertThat(names).contains("progress").last().isEqualTo("status");
        assertThat(percents).isSorted();
        assertThat(end.path("status").asString()).isEqualTo("COMPLETED");
        assertThat(end.path("progress").path("percent").asDouble()).isEqualTo(100.0);
    }

    @Test
    void aDefinitionIsLaunchedByNameAndUnknownNamesOrBadBodiesAreProblems() throws Exception {
        HttpResponse<String> launched = send(post("/api/admin/jobs", "{\"definition\": \"manuals\"}").header("Authorization", ADMIN));
        assertThat(launched.statusCode()).as(launched.body()).isEqualTo(202);
        long id = JSON.readTree(launched.body()).path("execution_id").asLong();
        JsonNode done = waitFor(id, j -> !j.path("end_time").isNull());
        assertThat(done.path("definition").asString()).isEqualTo("manuals");
        assertThat(done.path("status").asString()).isEqualTo("COMPLETED");

        assertThat(send(post("/api/admin/jobs", "{\"definition\": \"nope\"}").header("Authorization", ADMIN)).statusCode())
                .isEqualTo(404);
        HttpResponse<String> both = send(post("/api/admin/jobs", "{\"definition\": \"manuals\", \"path\": \"/tmp\"}")
                .header("Authorization", ADMIN));
        assertThat(both.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(both.body()).path("detail").asString()).contains("either \"definition\"");
    }

    @Test
    void aDefinitionsOwnChunkingAndOntologyAreUsedForItsDocuments() throws Exception {
        long id = JSON.readTree(send(post("/api/admin/jobs", "{\"definition\": \"gear\"}").header("Authorization", ADMIN))
                .body()).path("execution_id").asLong();
        JsonNode done = waitFor(id, j -> !j.path("end_time").isNull());

        assertThat(done.path("status").asString()).as(done.toString()).isEqualTo("COMPLETED");
        String documentId = done.path("documents").get(0).path("document_id").asString();
        // 64-token chunks: more of them than the 2 that the default 400 tokens make of this manual.
        assertThat(done.path("progress").path("chunks_done").asLong()).isGreaterThan(2);
        assertThat(strings("""
                MATCH (:Document {id: $a})<-[:PART_OF]-(:Chunk)-[:MENTIONS]->(e:Entity) RETURN DISTINCT e.type AS v""",
                Map.of("a", documentId, "b", ""))).anySatisfy(type -> assertThat(type).isIn("Gear", "Concept"));
        // The extraction schema offered the definition's types only. (Entities the graph already had under another
        // type, such as Nitrox as a GasMix, may keep it: resolution merges namesakes across documents.)
        JsonNode types = OLLAMA.lastChatRequest().path("format").path("properties").path("entities").path("items")
                .path("properties").path("type").path("enum");
        assertThat(types).extracting(JsonNode::asString).containsExactly("Gear", "Concept");
    }

    @Test
    void aFileDeletedFromTheSourceLeavesTheGraphOnlyWithDeleteMissing() throws Exception {
        for (String definition : List.of("mirrored", "kept")) {
            runDefinition(definition);
            Files.delete(WORK.resolve(definition).resolve("nitrox-basics.pdf"));
            JsonNode second = runDefinition(definition);
            assertThat(second.path("status").asString()).isEqualTo("COMPLETED");
        }
        assertThat(strings("MATCH (d:Document) WHERE d.path STARTS WITH $a RETURN d.name AS v",
                Map.of("a", WORK.resolve("mirrored") + "/", "b", ""))).containsExactly("buoyancy-and-equipment.pdf");
        assertThat(strings("MATCH (d:Document) WHERE d.path STARTS WITH $a RETURN d.name AS v",
                Map.of("a", WORK.resolve("kept") + "/", "b", ""))).containsExactlyInAnyOrder("buoyancy-and-equipment.pdf",
                        "nitrox-basics.pdf");
    }

    private JsonNode runDefinition(String name) throws Exception {
        HttpResponse<String> launched = send(post("/api/admin/jobs", "{\"definition\": \"" + name + "\"}")
                .header("Authorization", ADMIN));
        assertThat(launched.statusCode()).as(launched.body()).isEqualTo(202);
        return waitFor(JSON.readTree(launched.body()).path("execution_id").asLong(), j -> !j.path("end_time").isNull());
    }

    // --- allowed roots

    @Test
    void pathsOutsideTheAllowedRootsAreRejectedHoweverTheyAreWritten() throws Exception {
        Path outside = Files.createDirectories(WORK.resolve("outside-" + UUID.randomUUID()));
        copySamples(outside, "nitrox-basics.pdf");
        Path link = ALLOWED.resolve("link-" + UUID.randomUUID());
        Files.createSymbolicLink(link, outside);

        Map<String, String> attempts = Map.of(
                ALLOWED + "/../" + outside.getFileName(), "outside the folders the API may ingest",
                outside.toString(), "outside the folders the API may ingest",
                "/etc", "outside the folders the API may ingest",
                link.toString(), "through a symbolic link",
                link + "/nitrox-basics.pdf", "through a symbolic link",
                "relative/folder", "must be absolute",
                ALLOWED + "/missing", "no such file or folder");
        for (var attempt : attempts.entrySet()) {
            HttpResponse<String> response = send(post("/api/admin/jobs", "{\"path\": \"" + attempt.getKey() + "\"}")
                    .header("Authorization", ADMIN));
            assertThat(response.statusCode()).as(attempt.getKey()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).path("detail").asString()).as(attempt.getKey()).contains(attempt.getValue());
        }
    }

    // --- uploads and deletes

    @Test
    void anUploadedPdfIsStoredUnderACleanNameIngestedAndRecognisedWhenUploadedAgain() throws Exception {
        byte[] pdf = Files.readAllBytes(Path.of("samples/dive-planning-and-emergencies.pdf"));

        HttpResponse<String> first = send(upload("../../etc/plongée\u0007 plan.pdf", pdf));

        assertThat(first.statusCode()).as(first.body()).isEqualTo(202);
        JsonNode body = JSON.readTree(first.body());
        assertThat(body.path("file").asString()).isEqualTo("plongée plan.pdf");
        assertThat(Files.exists(WORK.resolve("data/inbox/plongée plan.pdf"))).isTrue();
        JsonNode done = waitFor(body.path("execution_id").asLong(), j -> !j.path("end_time").isNull());
        assertThat(done.path("status").asString()).isEqualTo("COMPLETED");
        JsonNode document = JSON.readTree(send(get("/api/documents/" + body.path("document_id").asString())).body());
        assertThat(document.path("status").asString()).isEqualTo("INGESTED");

        int calls = OLLAMA.chatCalls();
        HttpResponse<String> again = send(upload("another name.pdf", pdf));
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        assertThat(JSON.readTree(again.body()).path("duplicate").asBoolean()).isTrue();
        assertThat(JSON.readTree(again.body()).path("document_id").asString()).isEqualTo(body.path("document_id").asString());
        assertThat(OLLAMA.chatCalls()).isEqualTo(calls);
        assertThat(Files.exists(WORK.resolve("data/inbox/another name.pdf"))).isFalse();
    }

    @Test
    void aFileThatIsNotAPdfOrTooLargeIsRefused() throws Exception {
        byte[] png = { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13 };
        HttpResponse<String> notPdf = send(upload("photo.pdf", png));
        assertThat(notPdf.statusCode()).isEqualTo(415);
        assertThat(JSON.readTree(notPdf.body()).path("detail").asString()).contains("not a PDF: the file starts with PNG data");

        byte[] large = new byte[1_500_000];
        System.arraycopy("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII), 0, large, 0, 9);
        HttpResponse<String> tooLarge = send(upload("large.pdf", large));
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(tooLarge.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        try (var inbox = Files.list(WORK.resolve("data/inbox"))) {
            assertThat(inbox.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("photo") || n.startsWith("large"));
        }
    }

    @Test
    void deletingADocumentKeepsWhatAnotherDocumentStillSupportsAndIsIdempotent() throws Exception {
        Path folder = Files.createDirectories(ALLOWED.resolve("delete-" + UUID.randomUUID()));
        copySamples(folder, "nitrox-basics.pdf", "no-stop-limits-and-decompression.pdf");
        long id = JSON.readTree(send(post("/api/admin/jobs", "{\"path\": \"" + folder + "\"}").header("Authorization", ADMIN))
                .body()).path("execution_id").asLong();
        JsonNode done = waitFor(id, j -> !j.path("end_time").isNull());
        String nitrox = null;
        String other = null;
        for (JsonNode d : done.path("documents")) {
            if ("nitrox-basics.pdf".equals(d.path("file").asString())) {
                nitrox = d.path("document_id").asString();
            } else {
                other = d.path("document_id").asString();
            }
        }
        List<String> shared = strings("""
                MATCH (:Document {id: $a})<-[:PART_OF]-(:Chunk)-[:MENTIONS]->(e:Entity)<-[:MENTIONS]-(:Chunk)-[:PART_OF]->(:Document {id: $b})
                RETURN DISTINCT e.id AS v""", Map.of("a", nitrox, "b", other));
        List<String> onlyNitrox = strings("""
                MATCH (:Document {id: $a})<-[:PART_OF]-(:Chunk)-[:MENTIONS]->(e:Entity)
                WHERE NOT EXISTS { (e)<-[:MENTIONS]-(:Chunk)-[:PART_OF]->(d:Document) WHERE d.id <> $a }
                RETURN DISTINCT e.id AS v""", Map.of("a", nitrox, "b", other));
        assertThat(shared).isNotEmpty();
        assertThat(onlyNitrox).isNotEmpty();

        assertThat(send(request("/api/documents/" + nitrox).DELETE().header("Authorization", ADMIN)).statusCode()).isEqualTo(204);

        assertThat(send(get("/api/documents/" + nitrox)).statusCode()).isEqualTo(404);
        assertThat(strings("MATCH (e:Entity) WHERE e.id IN $ids RETURN e.id AS v", Map.of("ids", shared))).hasSameSizeAs(shared);
        assertThat(strings("MATCH (e:Entity) WHERE e.id IN $ids RETURN e.id AS v", Map.of("ids", onlyNitrox))).isEmpty();
        assertThat(send(get("/api/documents/" + other)).statusCode()).isEqualTo(200);
        assertThat(send(request("/api/documents/" + nitrox).DELETE().header("Authorization", ADMIN)).statusCode()).isEqualTo(204);
    }

    // --- helpers

    private JsonNode waitFor(long id, java.util.function.Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        JsonNode job;
        do {
            long started = System.nanoTime();
            HttpResponse<String> response = send(get("/api/admin/jobs/" + id).header("Authorization", ADMIN));
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            job = JSON.readTree(response.body());
            long millis = (System.nanoTime() - started) / 1_000_000;
            slowestStatusMillis = Math.max(slowestStatusMillis, millis);
            statusMillis.add(millis);
            if (condition.test(job)) {
                return job;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("execution " + id + " never reached the expected state: " + job);
    }

    private List<String> strings(String cypher, Map<String, Object> parameters) {
        try (Session session = driver.session()) {
            return session.run(cypher, parameters).list(r -> r.get("v").asString());
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
    }

    private HttpRequest.Builder get(String path) {
        return request(path).GET();
    }

    private HttpRequest.Builder post(String path, String json) {
        return request(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
    }

    private HttpRequest.Builder upload(String fileName, byte[] content) {
        String boundary = "b" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/pdf\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[head.length + content.length + tail.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(content, 0, body, head.length, content.length);
        System.arraycopy(tail, 0, body, head.length + content.length, tail.length);
        return request("/api/upload").header("Authorization", ADMIN)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private HttpResponse<String> send(HttpRequest.Builder builder) throws IOException, InterruptedException {
        return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The four English samples, or those named. */
    private static void copySamples(Path folder, String... names) throws IOException {
        List<String> wanted = names.length > 0 ? List.of(names) : List.of("nitrox-basics.pdf",
                "buoyancy-and-equipment.pdf", "dive-planning-and-emergencies.pdf", "no-stop-limits-and-decompression.pdf");
        try (var files = Files.list(Path.of("samples"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".pdf")).toList()) {
                if (wanted.contains(file.getFileName().toString())) {
                    Files.copy(file, folder.resolve(file.getFileName()));
                }
            }
        }
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("diveteacher-admin-it-").toRealPath();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
