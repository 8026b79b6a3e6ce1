package io.diveteacher.graph;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the graph lives: a Neo4j server when {@code uri} ({@code NEO4J_URI}) is set, else an embedded
 * Neo4j in {@code embeddedDirectory} (local build only).
 */
@ConfigurationProperties("diveteacher.neo4j")
public record GraphProperties(String uri, @DefaultValue("neo4j") String username, String password,
        Path embeddedDirectory) {

    boolean embedded() {
        return uri == null || uri.isBlank();
    }
}
