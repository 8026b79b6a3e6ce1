package io.diveteacher.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.diveteacher.graph.DocumentCatalog;
import io.diveteacher.graph.StoredDocument;
import io.diveteacher.inference.OllamaTestServer;

/**
 * A job definition scheduled every two seconds on a temporary folder: a dropped file is ingested once, a file
 * still being written waits, and ticks that find the previous run going are skipped.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "diveteacher.ingestion.settle=1s", "diveteacher.security.admin-password=x" })
// Closed after the class: its definition runs every two seconds, and a cached context would go on running it (against
// a closed Ollama) beside every later test.
@org.springframework.test.annotation.DirtiesContext
class SchedulerIT {

    static final OllamaTestServer OLLAMA = new OllamaTestServer();
    static final Path WORK = temporaryDirectory();
    static final Path WATCHED = WORK.resolve("watched");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        Files.createDirectories(WATCHED);
        Path jobs = Files.createDirectories(WORK.resolve("jobs"));
        Files.writeString(jobs.resolve("watched.yml"), """
                name: watched
                source: ../watched
                schedule: "*/2 * * * * *"
                """);
        registry.add("diveteacher.data-dir", () -> WORK.resolve("data").toString());
        registry.add("diveteacher.ingestion.jobs-directory", jobs::toString);
        registry.add("spring.ai.ollama.base-url", OLLAMA::baseUrl);
    }

    @Autowired
    DocumentCatalog catalog;

    @Autowired
    JobRepository repository;

    @AfterAll
    static void stop() {
        OLLAMA.close();
    }

    @Test
    void aDroppedFileIsIngestedOnceAFileBeingWrittenWaitsAndOverlappingTicksAreSkipped(CapturedOutput output) throws Exception {
        // A copy that takes five seconds: every tick meanwhile sees it change and leaves it for later.
        Path growing = WATCHED.resolve("nitrox-basics.pdf");
        byte[] pdf = Files.readAllBytes(Path.of("samples/nitrox-basics.pdf"));
        try (OutputStream out = Files.newOutputStream(growing)) {
            int step = pdf.length / 25;
            for (int at = 0; at < pdf.length; at += step) {
                out.write(pdf, at, Math.min(step, pdf.length - at));
                out.flush();
                Thread.sleep(200);
                assertThat(document("nitrox-basics.pdf")).as("not read while being written").isEmpty();
            }
        }
        assertThat(output.getOut()).contains("nitrox-basics.pdf is still being written; it waits for the next run");

        StoredDocument ingested = waitForDocument("nitrox-basics.pdf", "INGESTED");
        assertThat(ingested.chunks()).isPositive();
        // Let the run that ingested it finish (its resolve step still embeds entity names after the document is done).
        long finished = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (!repository.findRunningJobExecutions(IngestionJobConfiguration.JOB).isEmpty() && System.nanoTime() < finished) {
            Thread.sleep(50);
        }
        int calls = OLLAMA.chatCalls() + OLLAMA.embedCalls();
        Thread.sleep(4500); // two more ticks: nothing new, nothing asked of the models
        assertThat(OLLAMA.chatCalls() + OLLAMA.embedCalls()).isEqualTo(calls);
        assertThat(document("nitrox-basics.pdf").orElseThrow().chunks()).isEqualTo(ingested.chunks());

        // A slow model makes the next run outlast several ticks: they are skipped, runs never overlap.
        OLLAMA.chatDelay(4500);
        Files.copy(Path.of("samples/buoyancy-and-equipment.pdf"), WORK.resolve("incoming.pdf"));
        Files.move(WORK.resolve("incoming.pdf"), WATCHED.resolve("buoyancy-and-equipment.pdf"));
        waitForDocument("buoyancy-and-equipment.pdf", "INGESTED");
        assertThat(output.getOut()).contains("Scheduled run of watched skipped: its previous run");

        List<JobExecution> executions = executionsOf("watched");
        executions.sort((a, b) -> a.getStartTime().compareTo(b.getStartTime()));
        for (int i = 1; i < executions.size(); i++) {
            JobExecution previous = executions.get(i - 1);
            if (previous.getEndTime() != null) {
                assertThat(executions.get(i).getStartTime()).as("runs of one definition never overlap")
                        .isAfterOrEqualTo(previous.getEndTime());
            }
        }
        assertThat(catalog.list()).extracting(StoredDocument::name)
                .containsExactlyInAnyOrder("buoyancy-and-equipment.pdf", "nitrox-basics.pdf");
    }

    private List<JobExecution> executionsOf(String definition) {
        List<JobExecution> executions = new ArrayList<>();
        for (JobInstance instance : repository.getJobInstances(IngestionJobConfiguration.JOB, 0, 1000)) {
            for (JobExecution execution : repository.getJobExecutions(instance)) {
                if (definition.equals(execution.getJobParameters().getString(IngestionRequest.DEFINITION))) {
                    executions.add(execution);
                }
            }
        }
        return executions;
    }

    private Optional<StoredDocument> document(String name) {
        return catalog.list().stream().filter(d -> d.name().equals(name)).findFirst();
    }

    private StoredDocument waitForDocument(String name, String status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<StoredDocument> document = document(name);
            if (document.isPresent() && document.get().status().name().equals(status)) {
                return document.get();
            }
            Thread.sleep(200);
        }
        throw new AssertionError(name + " never became " + status + ": " + document(name));
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("diveteacher-scheduler-it-").toRealPath();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
