package io.diveteacher.ingestion;

import java.util.Locale;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Refuses, before anything starts, a remote-mode configuration that cannot work: remote partitions share their
 * state through the job repository and the graph, so neither may be this process's own. The embedded H2 file is
 * locked by one process; the embedded Neo4j only serves workers from a manager that opens its Bolt port to them.
 */
class RemoteModeEnvironment implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        check(environment.getProperty("diveteacher.ingestion.mode", "local"),
                Boolean.parseBoolean(environment.getProperty("diveteacher.ingestion.worker", "false")),
                environment.getProperty("spring.datasource.url", ""), environment.getProperty("diveteacher.neo4j.uri", ""),
                environment.getProperty("diveteacher.neo4j.embedded-bolt", ""));
    }

    static void check(String mode, boolean worker, String datasource, String neo4jUri, String embeddedBolt) {
        boolean remote = mode.strip().toLowerCase(Locale.ROOT).equals("remote");
        if (!remote && !mode.strip().equalsIgnoreCase("local")) {
            throw new IllegalStateException("DIVETEACHER_INGESTION_MODE must be local or remote, was '" + mode + "'");
        }
        if (!remote && !worker) {
            return;
        }
        if (datasource.isBlank() || datasource.startsWith("jdbc:h2:")) {
            throw new IllegalStateException((worker ? "a worker" : "DIVETEACHER_INGESTION_MODE=remote")
                    + " needs a job repository that the manager and every worker share: set SPRING_DATASOURCE_URL "
                    + "(and SPRING_DATASOURCE_USERNAME, SPRING_DATASOURCE_PASSWORD) to a PostgreSQL database; the "
                    + "embedded H2 job repository belongs to one process");
        }
        if (worker && neo4jUri.isBlank()) {
            throw new IllegalStateException("a worker writes to its manager's graph: set NEO4J_URI (and NEO4J_USER, "
                    + "NEO4J_PASSWORD) to the Neo4j server, or to the Bolt address a manager with the embedded graph "
                    + "opens (DIVETEACHER_EMBEDDED_BOLT)");
        }
        if (!worker && neo4jUri.isBlank() && embeddedBolt.isBlank()) {
            throw new IllegalStateException("DIVETEACHER_INGESTION_MODE=remote with the embedded graph: set "
                    + "DIVETEACHER_EMBEDDED_BOLT to the address its Bolt port listens on for the workers (e.g. "
                    + "0.0.0.0:7687), or NEO4J_URI to a Neo4j server");
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
