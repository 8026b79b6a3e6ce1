package io.diveteacher.graph;

import org.neo4j.driver.AuthTokens;
import org.neo4j.driver.Driver;
import org.neo4j.driver.GraphDatabase;
import org.neo4j.driver.exceptions.ServiceUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Neo4j driver: to the configured server, or to the embedded one over the same Bolt protocol. */
@Configuration(proxyBeanMethods = false)
class Neo4jConfiguration {

    private static final Logger log = LoggerFactory.getLogger(Neo4jConfiguration.class);

    @Bean(destroyMethod = "close")
    Driver neo4jDriver(GraphProperties properties, ObjectProvider<EmbeddedNeo4j> embedded) {
        if (!properties.embedded()) {
            var auth = properties.password() == null || properties.password().isEmpty() ? AuthTokens.none()
                    : AuthTokens.basic(properties.username(), properties.password());
            Driver driver = GraphDatabase.driver(properties.uri(), auth);
            try {
                driver.verifyConnectivity();
                log.info("Graph: Neo4j server at {}", properties.uri());
            } catch (ServiceUnavailableException e) {
                // Not up yet (or restarting): start anyway, unhealthy; the driver connects when Neo4j answers.
                log.error("Neo4j at {} does not answer yet ({}); the application starts unhealthy (GET /api/health) "
                        + "and uses it as soon as it answers", properties.uri(), e.getMessage());
            } catch (RuntimeException e) {
                driver.close();
                throw new IllegalStateException("Neo4j at " + properties.uri() + " refused the connection "
                        + "(NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD): " + e.getMessage(), e);
            }
            return driver;
        }
        EmbeddedNeo4j server = embedded.getIfAvailable();
        if (server == null) {
            throw new IllegalStateException("NEO4J_URI is not set and this build has no embedded Neo4j "
                    + "(production build): set NEO4J_URI, NEO4J_USER and NEO4J_PASSWORD to a Neo4j server");
        }
        return GraphDatabase.driver(server.boltUri(), AuthTokens.none());
    }
}
