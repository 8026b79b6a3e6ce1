package io.diveteacher.graph;

import java.time.Duration;

import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.TransactionConfig;
import org.springframework.stereotype.Component;

/** Asks the graph database whether it answers, and its version. */
@Component
public class GraphHealth {

    private static final String VERSION = """
            CALL dbms.components() YIELD name, versions WHERE name = 'Neo4j Kernel'
            RETURN versions[0] AS version""";

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Driver driver;
    private final boolean embedded;

    GraphHealth(Driver driver, GraphProperties properties) {
        this.driver = driver;
        this.embedded = properties.embedded();
    }

    public Neo4jStatus status() {
        try (Session session = driver.session()) {
            var versions = session.run(VERSION, TransactionConfig.builder().withTimeout(TIMEOUT).build())
                    .list(r -> r.get("version").asString());
            String version = versions.isEmpty() ? "unknown" : versions.getFirst();
            return new Neo4jStatus(true, version, embedded, null);
        } catch (RuntimeException e) {
            return new Neo4jStatus(false, null, embedded, e.getMessage());
        }
    }
}
