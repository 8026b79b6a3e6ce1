package io.diveteacher.graph;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;

/**
 * Where the graph lives: a Neo4j server when {@code uri} ({@code NEO4J_URI}) is set, else an embedded
 * Neo4j in {@code embeddedDirectory} (local build only); and the cache of the page images its documents are shown
 * with.
 *
 * @param pageCache where rendered page images are kept ({@code $DIVETEACHER_DATA_DIR/pages})
 * @param pageCacheFiles most images kept; the least recently made go first
 */
@ConfigurationProperties("diveteacher.neo4j")
@Validated
public record GraphProperties(String uri, String username, String password, Path embeddedDirectory, Path pageCache,
        @Min(value = 1, message = "diveteacher.neo4j.page-cache-files must be at least 1, was ${validatedValue}")
        @DefaultValue("2000") int pageCacheFiles) {

    boolean embedded() {
        return uri == null || uri.isBlank();
    }
}
