package io.diveteacher.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.diveteacher.graph.DocumentStatus;
import io.diveteacher.document.TestPdfs;
import io.diveteacher.graph.DocumentCatalog;
import io.diveteacher.inference.OllamaTestServer;

/**
 * The production job repository: Spring Batch metadata in PostgreSQL, with a failed run resumed from it.
 * Uses the PostgreSQL server at 127.0.0.1:5432 (trust authentication) in a database of its own; skipped
 * when no server answers there.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "diveteacher.ingestion.retry-backoff=10ms", "diveteacher.ingestion.retry-attempts=1" })
@DirtiesContext
class PostgresJobRepositoryIT {

    private static final OllamaTestServer OLLAMA = new OllamaTestServer();
    private static final Path DATA = IngestionTestSupport.temporaryDirectory("diveteacher-postgres-it-");
    private static final String SERVER = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String DATABASE = "diveteacher_it_" + ProcessHandle.current().pid();

    @BeforeAll
    static void requirePostgres() {
        assumeTrue(postgresAvailable(), "no PostgreSQL server at 127.0.0.1:5432");
    }

    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("diveteacher.data-dir", DATA::toString);
        registry.add("spring.ai.ollama.base-url", OLLAMA::baseUrl);
        if (postgresAvailable()) {
            execute("CREATE DATABASE " + DATABASE);
            registry.add("spring.datasource.url", () -> SERVER + DATABASE);
            registry.add("spring.datasource.username", () -> "postgres");
        }
    }

    @AfterAll
    static void dropDatabase() {
        OLLAMA.close();
        if (postgresAvailable()) {
            execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
        }
    }

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    IngestionLauncher launcher;

    @Autowired
    DocumentCatalog catalog;

    @Test
    void aFailedRunIsResumedFromThePostgresJobRepository() throws Exception {
        Path folder = IngestionTestSupport.copyOfSamples(DATA, "nitrox-basics.pdf");
        TestPdfs.manyPages(folder.resolve("long-manual.pdf"), 20);
        OLLAMA.reset();
        OLLAMA.failChatAfter(12);

        JobExecution failed = launcher.ingest(List.of(folder.toString()));

        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        OLLAMA.reset();

        JobExecution resumed = launcher.ingest(List.of(folder.toString()));

        assertThat(resumed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(resumed.getJobInstanceId()).isEqualTo(failed.getJobInstanceId());
        assertThat(jdbc.queryForObject("SELECT current_database()", String.class)).isEqualTo(DATABASE);
        assertThat(jdbc.queryForList("SELECT status FROM batch_job_execution WHERE job_instance_id = ? ORDER BY job_execution_id",
                String.class, failed.getJobInstanceId())).containsExactly("FAILED", "COMPLETED");
        assertThat(catalog.list()).filteredOn(d -> d.path().startsWith(IngestionTestSupport.realPath(folder)))
                .hasSize(2).allSatisfy(d -> {
            assertThat(d.status()).isEqualTo(DocumentStatus.INGESTED);
            assertThat(d.chunks()).isPositive();
        });
    }

    @Test
    void aRunLeftMarkedAsRunningIsOnlyTakenOverWhenTheOperatorSaysItsProcessIsGone() throws Exception {
        Path folder = IngestionTestSupport.copyOfSamples(DATA, "nitrox-basics.pdf", "buoyancy-and-equipment.pdf");
        OLLAMA.reset();
        OLLAMA.failChatAfter(1);
        JobExecution failed = launcher.ingest(List.of(folder.toString()));
        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        OLLAMA.reset();
        // What a process killed with kill -9 leaves behind: its execution still marked as running.
        jdbc.update("UPDATE batch_job_execution SET status = 'STARTED', end_time = NULL WHERE job_execution_id = ?",
                failed.getId());
        jdbc.update("UPDATE batch_step_execution SET status = 'STARTED', end_time = NULL WHERE job_execution_id = ? "
                + "AND status = 'FAILED'", failed.getId());

        assertThatThrownBy(() -> launcher.ingest(List.of(folder.toString())))
                .hasMessageContaining("already running (execution " + failed.getId() + ")")
                .hasMessageContaining("run again with --recover");

        JobExecution recovered = launcher.ingest(List.of(folder.toString()), true);

        assertThat(recovered.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(recovered.getJobInstanceId()).isEqualTo(failed.getJobInstanceId());
    }

    private static boolean postgresAvailable() {
        try (Connection connection = DriverManager.getConnection(SERVER + "postgres", "postgres", "")) {
            return connection.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    private static void execute(String sql) {
        try (Connection connection = DriverManager.getConnection(SERVER + "postgres", "postgres", "");
                var statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
