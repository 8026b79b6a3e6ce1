package io.diveteacher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import io.diveteacher.document.TestPdfs;
import io.diveteacher.inference.OllamaTestServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The command-line contract of target/diveteacher.jar, run as a separate process the way operators and
 * scripts run it: exit codes, the JSON summary on the last line, the fallback warning, resuming after
 * kill -9, and the web application serving the same data directory afterwards.
 */
class PackagedJarIT {

    private static final OllamaTestServer OLLAMA = new OllamaTestServer();
    private static final JsonMapper JSON = JsonMapper.shared();

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path work;

    /**
     * Whether this test starts {@code java -jar target/diveteacher.jar} as the README says; the others start the
     * jar as the Docker image holds it, which starts in half the time ({@link ApplicationJar}).
     */
    boolean readmeCommand;

    @BeforeEach
    void resetOllama() {
        OLLAMA.reset();
    }

    @AfterAll
    static void stopOllama() {
        OLLAMA.close();
    }

    @Test
    void ingestJsonPrintsTheSummaryLastAndARepeatedRunSkipsEverythingThenTheWebAppServesTheGraph() throws Exception {
        readmeCommand = true;
        Path data = work.resolve("data");
        Path samples = copyOfSamples();

        Result first = run(data, OLLAMA.baseUrl(), "ingest", "--json", samples.toString());

        assertThat(first.exitCode()).as(first.output()).isZero();
        JsonNode summary = first.lastLineJson();
        assertThat(summary.path("status").asString()).isEqualTo("COMPLETED");
        assertThat(summary.path("execution_id").asLong()).isPositive();
        assertThat(summary.path("documents")).hasSize(6).allSatisfy(d -> {
            assertThat(d.path("status").asString()).isEqualTo("INGESTED");
            assertThat(d.path("file").asString()).endsWith(".pdf");
            assertThat(d.path("path").asString()).startsWith(samples.toRealPath().toString());
            assertThat(d.has("reason")).isTrue();
            assertThat(d.path("pages").asInt()).isPositive();
            assertThat(d.path("chunks").asInt()).isPositive();
            assertThat(d.path("entities").asInt()).isPositive();
        });
        JsonNode totals = summary.path("totals");
        assertThat(totals.path("documents").asInt()).isEqualTo(6);
        assertThat(totals.path("ingested").asInt()).isEqualTo(6);
        assertThat(totals.path("failed").asInt()).isZero();
        assertThat(totals.path("relationships").asInt()).isPositive();
        assertThat(totals.path("model_calls").asInt()).isEqualTo(OLLAMA.chatCalls() + OLLAMA.embedCalls());
        assertThat(summary.path("models").path("embedding").asString()).isEqualTo("bge-m3");
        assertThat(summary.path("models").path("extraction").asString()).isEqualTo(OllamaTestServer.CHAT_MODEL);
        assertThat(summary.path("models").path("fallback").asBoolean()).isFalse();
        assertThat(summary.path("elapsed_ms").asLong()).isPositive();

        OLLAMA.reset();
        // The README's command is checked: the rest starts faster as the image does (see ApplicationJar).
        readmeCommand = false;
        Result second = run(data, OLLAMA.baseUrl(), "ingest", "--json", samples.toString());

        assertThat(second.exitCode()).as(second.output()).isZero();
        JsonNode again = second.lastLineJson();
        assertThat(again.path("documents")).allSatisfy(d -> assertThat(d.path("status").asString()).isEqualTo("SKIPPED"));
        assertThat(again.path("totals").path("skipped").asInt()).isEqualTo(6);
        assertThat(again.path("totals").path("model_calls").asInt()).isZero();
        assertThat(again.path("totals").path("chunks")).isEqualTo(totals.path("chunks"));
        assertThat(again.path("totals").path("entities")).isEqualTo(totals.path("entities"));
        assertThat(again.path("totals").path("relationships")).isEqualTo(totals.path("relationships"));
        assertThat(OLLAMA.chatCalls() + OLLAMA.embedCalls()).isZero();

        int port = ApplicationJar.freePort();
        Process web = start(data, OLLAMA.baseUrl(), "--server.port=" + port);
        try {
            JsonNode documents = getJson(port, "/api/documents").path("documents");
            assertThat(documents).hasSize(6)
                    .allSatisfy(d -> assertThat(d.path("status").asString()).isEqualTo("INGESTED"));
            JsonNode stats = getJson(port, "/api/graph/stats");
            assertThat(stats.path("nodes").path("Chunk").asInt()).isEqualTo(totals.path("chunks").asInt());
            assertThat(stats.path("nodes").path("Document").asInt()).isEqualTo(6);
            assertThat(stats.path("indexes")).anySatisfy(i -> {
                assertThat(i.path("name").asString()).isEqualTo("chunk_embedding");
                assertThat(i.path("state").asString()).isEqualTo("ONLINE");
            });
            JsonNode health = getJson(port, "/api/health");
            assertThat(health.path("status").asString()).as(health.toString()).isEqualTo("healthy");
            assertThat(health.path("ollama").path("processor").asString()).isEqualTo("100% GPU");
            assertThat(health.path("neo4j").path("embedded").asBoolean()).isTrue();
            assertThat(health.path("version").asString()).isEqualTo("0.1.0-SNAPSHOT");
            JsonNode actuator = getJson(port, "/actuator/health");
            assertThat(actuator.path("status").asString()).isEqualTo("UP");
            assertThat(actuator.path("components").path("ollama").path("status").asString()).isEqualTo("UP");
            assertThat(actuator.path("components").path("neo4j").path("status").asString()).isEqualTo("UP");
        } finally {
            web.destroy();
            web.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void withoutOllamaTheFallbackModelsAreUsedAndSaidSoAndEvaluateFindsTheExpectedPages() throws Exception {
        Path samples = copyOfSamples();
        String noOllama = "http://127.0.0.1:" + ApplicationJar.freePort();

        Result result = run(work.resolve("data"), noOllama, "ingest", samples.toString());

        assertThat(result.exitCode()).as(result.output()).isZero();
        String out = result.output();
        int warning = out.indexOf("Using the in-process FALLBACK models");
        assertThat(warning).isNotNegative().isLessThan(out.indexOf("Executing step: [discover]"));
        assertThat(out).contains("WARNING: in-process fallback models were used (Ollama is not reachable at http://127.0.0.1:")
                .contains("Models: embeddings all-MiniLM-L6-v2 (in-process); extraction noun phrases and co-occurrence "
                        + "(in-process) [FALLBACK]")
                .containsPattern("INGESTED +2 +\\d+ +\\d+ +nitrox-basics.pdf")
                .contains("Totals: 6 document(s): 6 ingested");

        Result evaluation = run(work.resolve("data"), noOllama, "evaluate", "--json",
                Path.of("samples/questions.jsonl").toAbsolutePath().toString());

        assertThat(evaluation.exitCode()).as(evaluation.output()).isZero();
        assertThat(evaluation.output()).containsPattern("hit@8: \\d+/24")
                .contains("answers by: extractive (in-process fallback: no generation model)");
        JsonNode totals = evaluation.lastLineJson();
        System.out.println("fallback evaluation on samples/: " + totals.path("hits").asInt() + "/24 expected pages; "
                + totals.path("refused_unanswerable").asInt() + "/18 unanswerable refused, "
                + totals.path("unanswered").asInt() + "/24 answerable refused\n" + evaluation.output());
        // With all-MiniLM-L6-v2 and the extractive answers: 16 of 16 here; one miss is tolerated for other CPUs.
        assertThat(totals.path("questions").asInt()).isEqualTo(42);
        assertThat(totals.path("hits").asInt()).isGreaterThanOrEqualTo(15);
        assertThat(totals.path("keyword_share").asDouble()).isGreaterThanOrEqualTo(0.6);
        // The bar: at most 1 in 20 answerable questions refused.
        assertThat(totals.path("unanswered").asInt()).isLessThanOrEqualTo(24 / 20);
        assertThat(totals.path("refused_unanswerable").asInt()).isGreaterThanOrEqualTo(10);
        assertThat(totals.path("latency_ms").path("p95").asLong()).isPositive();
    }

    @Test
    void underProdWithoutOllamaTheServerStartsUnhealthyRefusesQuestionsAndRecoversWhenOllamaComesUp() throws Exception {
        int ollamaPort = ApplicationJar.freePort();
        int port = ApplicationJar.freePort();
        Process web = start(work.resolve("data"), "http://127.0.0.1:" + ollamaPort, "--server.port=" + port,
                "--spring.profiles.active=prod", "--diveteacher.inference.retry-interval=1s",
                "--management.server.port=" + ApplicationJar.freePort(),
                "--diveteacher.security.admin-password=prod-secret");
        try {
            HttpResponse<String> health = send(port, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/health")));
            assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
            assertThat(JSON.readTree(health.body()).path("status").asString()).isEqualTo("unhealthy");
            assertThat(health.body()).contains("Ollama is not reachable at http://127.0.0.1:" + ollamaPort);
            HttpResponse<String> query = send(port, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/query"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"question\": \"What is a safety stop?\"}")));
            assertThat(query.statusCode()).as(query.body()).isEqualTo(503);
            assertThat(JSON.readTree(query.body()).path("detail").asString()).contains("Ollama is not reachable");

            try (OllamaTestServer ollama = new OllamaTestServer(ollamaPort)) {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                HttpResponse<String> recovered;
                do {
                    Thread.sleep(250);
                    recovered = send(port, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/health")));
                } while (recovered.statusCode() != 200 && System.nanoTime() < deadline);
                assertThat(recovered.statusCode()).as(recovered.body()).isEqualTo(200);
                assertThat(JSON.readTree(recovered.body()).path("status").asString()).isEqualTo("healthy");
                JsonNode answer = JSON.readTree(send(port, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/query"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                                "{\"question\": \"What is a safety stop?\"}"))).body());
                // An empty graph: answered without generation, but answered.
                assertThat(answer.path("num_sources").asInt()).as(answer.toString()).isZero();
                assertThat(ollama.embedCalls()).isPositive();
            }
        } finally {
            web.destroy();
            web.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aKilledIngestionResumesWithTheSameCommandAndEndsWithTheCountsOfACleanRun() throws Exception {
        Path folder = copyOfSamples("nitrox-basics.pdf");
        // Several commit intervals (16 chunks each; a page makes one chunk); killed after four.
        TestPdfs.manyPages(folder.resolve("long-manual.pdf"), 130);
        JsonNode clean = run(work.resolve("clean"), OLLAMA.baseUrl(), "ingest", "--json", folder.toString()).lastLineJson();
        int cleanCalls = OLLAMA.chatCalls();
        OLLAMA.reset();
        OLLAMA.chatDelay(100);
        Path data = work.resolve("data");

        Process killed = start(data, OLLAMA.baseUrl(), "ingest", "--json", folder.toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        // Killed once two commit intervals of the long manual are written (extraction runs ahead of the commits, so
        // a number of model calls says nothing about what is committed).
        Path output = outputs.get(killed);
        while (!new String(Files.readAllBytes(output), java.nio.charset.StandardCharsets.UTF_8)
                .contains("[long-manual.pdf] 64 chunks written") && System.nanoTime() < deadline
                && killed.isAlive()) {
            Thread.sleep(20);
        }
        assertThat(killed.isAlive()).as("still ingesting when killed").isTrue();
        killed.destroyForcibly(); // SIGKILL: no shutdown hook, no clean close of Neo4j or H2
        assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
        OLLAMA.reset();

        Result resumed = run(data, OLLAMA.baseUrl(), "ingest", "--json", folder.toString());

        assertThat(resumed.exitCode()).as(resumed.output()).isZero();
        assertThat(resumed.output()).contains("was left running by a process that ended").contains("Resuming");
        JsonNode summary = resumed.lastLineJson();
        assertThat(summary.path("status").asString()).isEqualTo("COMPLETED");
        for (String field : List.of("documents", "ingested", "chunks", "entities", "relationships")) {
            assertThat(summary.path("totals").path(field)).as(field + " in\n" + resumed.output()).isEqualTo(clean.path("totals").path(field));
        }
        var resumedAt = java.util.regex.Pattern.compile("Resuming long-manual.pdf after chunk (\\d+)").matcher(resumed.output());
        assertThat(resumedAt.find()).as("resumed inside the document").isTrue();
        int committed = Integer.parseInt(resumedAt.group(1));
        assertThat(committed).isPositive();
        assertThat(OLLAMA.chatCalls()).as("chunks extracted after the restart").isLessThanOrEqualTo(cleanCalls - committed);
    }

    @Test
    void aManualOf2415PagesIngestsWithin512MegabytesOfHeap() throws Exception {
        Path folder = Files.createDirectories(work.resolve("big"));
        TestPdfs.manyPages(folder.resolve("manual-2415-pages.pdf"), 2415);

        Result result = run("-Xmx512m", work.resolve("data"), OLLAMA.baseUrl(), "ingest", "--json", folder.toString());

        assertThat(result.exitCode()).as(tail(result.output())).isZero();
        JsonNode document = result.lastLineJson().path("documents").get(0);
        assertThat(document.path("status").asString()).isEqualTo("INGESTED");
        assertThat(document.path("pages").asInt()).isEqualTo(2415);
        assertThat(document.path("chunks").asInt()).isGreaterThan(1000);
        assertThat(result.output()).doesNotContain("OutOfMemoryError");
    }

    private static String tail(String output) {
        return output.length() > 4000 ? output.substring(output.length() - 4000) : output;
    }

    @Test
    void usageErrorsExitWithTwoAndSayWhatIsWrong() throws Exception {
        readmeCommand = true;
        Result noPath = run(work.resolve("data"), OLLAMA.baseUrl(), "ingest", "--json");
        assertThat(noPath.exitCode()).isEqualTo(2);
        assertThat(noPath.output()).contains("name at least one folder or PDF file").contains("usage: ingest");

        Result missing = run(work.resolve("data"), OLLAMA.baseUrl(), "ingest", work.resolve("nowhere").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.output()).contains("no such file or folder: " + work.resolve("nowhere"));

        Result noQuestions = run(work.resolve("data"), OLLAMA.baseUrl(), "evaluate", "--top-k", "51", "q.jsonl");
        assertThat(noQuestions.exitCode()).isEqualTo(2);
        assertThat(noQuestions.output()).contains("--top-k must be a number from 1 to 50, was 51").contains("usage: evaluate");
    }

    private Path copyOfSamples(String... names) throws IOException {
        Path folder = Files.createDirectories(work.resolve("source"));
        try (var files = Files.list(Path.of("samples"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".pdf")).toList()) {
                if (names.length == 0 || List.of(names).contains(file.getFileName().toString())) {
                    Files.copy(file, folder.resolve(file.getFileName()));
                }
            }
        }
        return folder;
    }

    private record Result(int exitCode, String output) {
        JsonNode lastLineJson() {
            List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
            return JSON.readTree(lines.getLast());
        }
    }

    private Process start(Path data, String ollama, String... args) throws IOException {
        return start("-Xmx768m", data, ollama, args);
    }

    private Process start(String heap, Path data, String ollama, String... args) throws IOException {
        Files.createDirectories(work.resolve("tmp"));
        String tmp = "-Djava.io.tmpdir=" + work.resolve("tmp");
        List<String> command = new ArrayList<>(readmeCommand ? ApplicationJar.asBuilt(heap, tmp)
                : ApplicationJar.asInTheImage(heap, tmp));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Files.createTempFile(work, "out-", ".log").toFile());
        Map<String, String> env = ApplicationJar.withoutSettings(builder).environment();
        env.put("DIVETEACHER_DATA_DIR", data.toString());
        env.put("OLLAMA_BASE_URL", ollama);
        env.put("OLLAMA_NUM_PARALLEL", "4");
        Process process = builder.start();
        outputs.put(process, builder.redirectOutput().file().toPath());
        return process;
    }

    private final Map<Process, Path> outputs = new java.util.concurrent.ConcurrentHashMap<>();

    private Result run(Path data, String ollama, String... args) throws Exception {
        return run("-Xmx768m", data, ollama, args);
    }

    private Result run(String heap, Path data, String ollama, String... args) throws Exception {
        Process process = start(heap, data, ollama, args);
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).as("finished within 5 minutes").isTrue();
        return new Result(process.exitValue(), Files.readString(outputs.get(process)));
    }

    private static JsonNode getJson(int port, String path) throws Exception {
        HttpResponse<String> response = send(port, HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    /** Sends a request, waiting up to 90 s for the application to listen. */
    private static HttpResponse<String> send(int port, HttpRequest.Builder request) throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (true) {
                try {
                    return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(250);
                }
            }
        }
    }

}
