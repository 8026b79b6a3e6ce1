package io.diveteacher.question;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.diveteacher.DiveTeacherApplication;
import io.diveteacher.inference.OllamaTestServer;
import io.diveteacher.ingestion.IngestionLauncher;
import tools.jackson.databind.json.JsonMapper;

/**
 * The first question after a start is about as fast as the next ones: the application that starts on a graph warms
 * its retrieval path before anyone asks (the graph is made by an earlier run on the same data directory, as after a
 * restart in production).
 */
class FirstQuestionIT {

    private static final OllamaTestServer OLLAMA = new OllamaTestServer();
    private static final List<String> QUESTIONS = List.of("What is the maximum operating depth of EAN32?",
            "How long is the safety stop?", "Quelle est la vitesse de remontée ?", "What does a buddy check cover?",
            "When is a decompression stop required?");

    @AfterAll
    static void stop() {
        OLLAMA.close();
    }

    @Test
    void theFirstAnswersRetrievalTakesAtMostTwiceTheMedianOfTheNextTwenty() throws Exception {
        Path data = Files.createTempDirectory("diveteacher-first-question-");
        try (ConfigurableApplicationContext first = start(data)) {
            first.getBean(IngestionLauncher.class).ingest(List.of("samples"));
        }

        try (ConfigurableApplicationContext restarted = start(data)) {
            RetrievalWarmUp warmUp = restarted.getBean(RetrievalWarmUp.class);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!warmUp.done() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(warmUp.done()).as("the warm-up ran").isTrue();
            int port = ((WebServerApplicationContext) restarted).getWebServer().getPort();
            HttpClient http = HttpClient.newHttpClient();

            long firstMs = retrievalMs(http, port, QUESTIONS.getFirst());
            List<Long> next = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                next.add(retrievalMs(http, port, QUESTIONS.get((i + 1) % QUESTIONS.size())));
            }

            long median = next.stream().sorted().toList().get(next.size() / 2);
            System.out.printf("First question after start-up: retrieval %d ms; median of the next 20: %d ms%n", firstMs,
                    median);
            // A millisecond of slack: the median is a few milliseconds, where 2x is within the clock's resolution.
            assertThat(firstMs).isLessThanOrEqualTo(Math.max(2 * median, median + 1));
        }
    }

    private static long retrievalMs(HttpClient http, int port, String question) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/api/query")).header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"question\": \"" + question + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JsonMapper.shared().readTree(response.body()).path("timings").path("retrieval_ms").asLong();
    }

    private static ConfigurableApplicationContext start(Path data) {
        return new SpringApplicationBuilder(DiveTeacherApplication.class).run("--server.port=0",
                "--diveteacher.data-dir=" + data, "--spring.ai.ollama.base-url=" + OLLAMA.baseUrl(),
                "--diveteacher.security.requests-per-minute=0", "--diveteacher.ingestion.scheduling-enabled=false");
    }
}
