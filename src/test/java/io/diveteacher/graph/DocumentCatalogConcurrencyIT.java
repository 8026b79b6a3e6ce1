package io.diveteacher.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.Driver;

/**
 * The job status page reads the catalog while an ingestion deletes documents (delete-missing, re-upload). Neo4j
 * reads at read-committed isolation: a document deleted between being found and being read must simply be absent,
 * never an error that turns a status request into a 500.
 */
class DocumentCatalogConcurrencyIT {

    @TempDir
    static Path home;

    static EmbeddedGraph graph;
    static Driver driver;

    @BeforeAll
    static void emptyGraphWithItsSchema() {
        graph = new EmbeddedGraph(home, 4);
        driver = graph.driver;
    }

    @AfterAll
    static void stop() {
        graph.close();
    }

    private static final long DELETIONS = 400;

    @Test
    void documentsDeletedWhileTheyAreReadAreAbsentNotAnError() throws Exception {
        DocumentCatalog catalog = new DocumentCatalog(driver);
        List<String> ids = List.of("a", "b", "c", "d", "e", "f", "g", "h");
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong deletions = new AtomicLong();
        Thread writer = Thread.ofPlatform().start(() -> {
            // A fixed amount of work (not a time window, which a cold JVM on a busy machine filled with far fewer).
            long until = System.nanoTime() + 120_000_000_000L;
            while (deletions.get() < DELETIONS && System.nanoTime() < until) {
                for (String id : ids) {
                    catalog.register(id, "/m/" + id + ".pdf", id + ".pdf", "sum-" + id, 10, "e", "x");
                }
                for (String id : ids) {
                    catalog.delete(id);
                    deletions.incrementAndGet();
                }
            }
            writing.set(false);
        });
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        long reads = 0;
        while (writing.get()) {
            try {
                catalog.findAll(ids).values().forEach(d -> assertThat(d.name()).as(d.id()).isNotNull());
                ids.forEach(id -> catalog.find(id).ifPresent(d -> assertThat(d.path()).isNotNull()));
                reads++;
            } catch (RuntimeException | AssertionError e) {
                errors.add(e);
            }
        }
        writer.join();
        System.out.printf("%d reads during %d deletions%n", reads, deletions.get());
        assertThat(deletions.get()).isGreaterThanOrEqualTo(DELETIONS);
        assertThat(reads).as("reads while deleting").isPositive();
        assertThat(errors).isEmpty();
    }
}
