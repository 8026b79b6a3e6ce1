package io.diveteacher.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.neo4j.driver.Driver;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.diveteacher.DiveTeacherApplication;
import io.diveteacher.command.CommandLine;
import io.diveteacher.inference.OllamaTestServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Changing the embedding model is one command: a graph embedded with {@code nomic-embed-text} (128 dimensions here)
 * refuses to start with {@code bge-m3} (256 dimensions here) and says to run {@code reembed}; {@code reembed}
 * rebuilds the vector index, re-embeds every chunk (resuming after a failure where it stopped, not from the
 * start), gives each chunk its language, and leaves a graph that starts, answers and is not ingested again. The
 * admin API runs the same job on a running application.
 */
class ReembedIT {

    private static final OllamaTestServer OLLAMA = new OllamaTestServer();
    private static final String ADMIN = "Basic " + Base64.getEncoder()
            .encodeToString("admin:s3cret-admin".getBytes(StandardCharsets.UTF_8));

    @AfterAll
    static void stop() {
        OLLAMA.close();
    }

    @Test
    void aGraphOfAnotherEmbeddingModelIsReembeddedResumablyAndThenStartsAnswersAndIsNotIngestedAgain() throws Exception {
        Path data = Files.createTempDirectory("diveteacher-reembed-");
        long chunks;
        OLLAMA.addEmbeddingModel("nomic-embed-text", 128);
        try (ConfigurableApplicationContext before = start(data, false, "--spring.ai.ollama.embedding.model=nomic-embed-text")) {
            JobExecution ingested = before.getBean(IngestionLauncher.class).ingest(List.of("samples"));
            assertThat(ingested.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            assertThat(dimensions(before)).isEqualTo(128);
            chunks = count(before, "MATCH (c:Chunk) RETURN count(c) AS n");
            // Chunks written before languages were detected: reembed gives them theirs.
            count(before, "MATCH (c:Chunk) REMOVE c.language, c:EnglishChunk:FrenchChunk RETURN count(c) AS n");
        }

        assertThatThrownBy(() -> start(data, false).close())
                .hasStackTraceContaining("holds 128-dimensional embeddings")
                .hasStackTraceContaining("java -jar target/diveteacher.jar reembed");

        try (ConfigurableApplicationContext reembedding = start(data, true)) {
            ReembedCommand command = reembedding.getBean(ReembedCommand.class);
            OLLAMA.reset();
            OLLAMA.failEmbedAfter(3); // three commits of four chunks, then Ollama fails

            CommandLine.Outcome failed = command.run(ReembedCommand.Arguments.parse(List.of("--json")));

            assertThat(failed.exitCode()).as(failed.output()).isEqualTo(1);
            assertThat(failed.output()).contains("Run reembed again to resume");
            assertThat(dimensions(reembedding)).isEqualTo(256);
            assertThat(count(reembedding, "MATCH (c:Chunk {embeddedWith: 'bge-m3'}) RETURN count(c) AS n"))
                    .isEqualTo(12);

            OLLAMA.reset();
            CommandLine.Outcome resumed = command.run(ReembedCommand.Arguments.parse(List.of("--json")));

            System.out.println("reembed, resumed after a failure:\n" + resumed.output());
            assertThat(resumed.exitCode()).as(resumed.output()).isZero();
            JsonNode view = JsonMapper.shared().readTree(resumed.output().lines().toList().getLast());
            assertThat(view.path("status").asString()).isEqualTo("COMPLETED");
            assertThat(view.path("chunks_total").asLong()).isEqualTo(chunks);
            assertThat(view.path("chunks_done").asLong()).isEqualTo(chunks);
            assertThat(view.path("previous_dimensions").asInt()).isEqualTo(128);
            assertThat(view.path("documents_marked").asLong()).isEqualTo(6);
            // Only what the failed run had not written went to the model.
            assertThat((long) OLLAMA.embedInputs()).isEqualTo(chunks - 12);
            assertThat(count(reembedding, """
                    MATCH (c:Chunk) WHERE c.embeddedWith = 'bge-m3' AND size(c.embedding) = 256
                      AND c.language IN ['en', 'fr'] RETURN count(c) AS n""")).isEqualTo(chunks);
            assertThat(count(reembedding, "MATCH (c:FrenchChunk) RETURN count(c) AS n")).isPositive();
            assertThat(count(reembedding, "MATCH (d:Document {embeddedWith: 'bge-m3'}) RETURN count(d) AS n"))
                    .isEqualTo(6);
        }

        try (ConfigurableApplicationContext app = start(data, false)) {
            OLLAMA.reset();
            JobExecution again = app.getBean(IngestionLauncher.class).ingest(List.of("samples"));
            assertThat(again.getStatus()).isEqualTo(BatchStatus.COMPLETED);
            IngestionSummary summary = app.getBean(IngestionReport.class).summarize(again,
                    app.getBean(io.diveteacher.inference.ModelRuntime.class).selection(), 0, 0);
            assertThat(summary.totals().skipped()).as("nothing ingested again").isEqualTo(6);
            assertThat(OLLAMA.chatCalls()).isZero();
            int port = ((WebServerApplicationContext) app).getWebServer().getPort();
            HttpClient http = HttpClient.newHttpClient();
            JsonNode answer = JsonMapper.shared().readTree(http.send(request(port, "/api/query").header("Accept",
                    "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"question\": \"What is the maximum operating depth of EAN32?\"}")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            assertThat(answer.path("sources")).as(answer.toString())
                    .anySatisfy(s -> assertThat(s.path("file").asString()).isEqualTo("nitrox-basics.pdf"));

            assertThat(http.send(request(port, "/api/admin/reembed").header("Authorization", "Basic bm86bm8=")
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString())
                    .statusCode()).isEqualTo(401);
            HttpResponse<String> launched = http.send(request(port, "/api/admin/reembed").header("Authorization", ADMIN)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"all\": true}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(launched.statusCode()).as(launched.body()).isEqualTo(202);
            String status = JsonMapper.shared().readTree(launched.body()).path("status_url").asString();
            JsonNode done = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                done = JsonMapper.shared().readTree(http.send(request(port, status).header("Authorization", ADMIN)
                        .GET().build(), HttpResponse.BodyHandlers.ofString()).body());
                if (!done.path("end_time").isNull()) {
                    break;
                }
                Thread.sleep(100);
            }
            assertThat(done.path("status").asString()).as(done.toString()).isEqualTo("COMPLETED");
            assertThat(done.path("chunks_done").asLong()).isEqualTo(chunks);
            assertThat(done.path("previous_dimensions").asInt()).isEqualTo(256);
        }
    }

    private static HttpRequest.Builder request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json");
    }

    private static long count(ConfigurableApplicationContext context, String cypher) {
        try (var session = context.getBean(Driver.class).session()) {
            return session.run(cypher).single().get("n").asLong();
        }
    }

    private static int dimensions(ConfigurableApplicationContext context) {
        try (var session = context.getBean(Driver.class).session()) {
            return session.run("""
                    SHOW VECTOR INDEXES YIELD name, options WHERE name = 'chunk_embedding'
                    RETURN options.indexConfig['vector.dimensions'] AS n""", Map.of()).single().get("n").asInt();
        }
    }

    private static ConfigurableApplicationContext start(Path data, boolean reembedding, String... more) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--diveteacher.data-dir=" + data,
                "--spring.ai.ollama.base-url=" + OLLAMA.baseUrl(), "--diveteacher.security.requests-per-minute=0",
                "--diveteacher.security.admin-password=s3cret-admin",
                "--diveteacher.ingestion.scheduling-enabled=false", "--diveteacher.ingestion.commit-interval=4",
                "--diveteacher.ingestion.retry-attempts=0"));
        if (reembedding) {
            args.add(ReembedCommand.PROPERTY);
        }
        args.addAll(List.of(more));
        return new SpringApplicationBuilder(DiveTeacherApplication.class).run(args.toArray(String[]::new));
    }

}
