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
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * The job status page reads the catalog while an ingestion deletes documents (delete-missing, re-upload). Neo4j
 * reads at read-committed isolation: a document deleted between being found and being read must simply be absent,
 * never an error that turns a status request into a 500.
 */
class DocumentCatalogConcurrencyIT {

    @TempDir
    static Path home;

    static DatabaseManagementService dbms;
    static Driver driver;

    @BeforeAll
    static void emptyGraphWithItsSchema() {
        dbms = new DatabaseManagementServiceBuilder(home)
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress("127.0.0.1", 0))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .build();
        var db = (GraphDatabaseAPI) dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        int port = db.getDependencyResolver().resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT).getPort();
        driver = GraphDatabase.driver("bolt://127.0.0.1:" + port, AuthTokens.none());
        new GraphSchema(driver, event -> { }).ensure(4, "test-embeddings");
    }

    @AfterAll
    static void stop() {
        driver.close();
        dbms.shutdown();
    }

    @Test
    void documentsDeletedWhileTheyAreReadAreAbsentNotAnError() throws Exception {
        DocumentCatalog catalog = new DocumentCatalog(driver);
        List<String> ids = List.of("a", "b", "c", "d", "e", "f", "g", "h");
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong deletions = new AtomicLong();
        Thread writer = Thread.ofPlatform().start(() -> {
            long until = System.nanoTime() + 6_000_000_000L;
            while (System.nanoTime() < until) {
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
        assertThat(deletions.get()).isGreaterThan(100);
        assertThat(errors).isEmpty();
    }
}
