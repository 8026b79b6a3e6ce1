package io.diveteacher.graph;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Min;

/**
 * Where the graph lives: a Neo4j server when {@code uri} ({@code NEO4J_URI}) is set, else an embedded
 * Neo4j in {@code embeddedDirectory} (local build only); and the cache of the page images its documents are shown
 * with.
 *
 * @param pageCache where rendered page images are kept ({@code $DIVETEACHER_DATA_DIR/pages})
 * @param pageCacheFiles most images kept; the least recently made go first
 * @param embeddedBolt where the embedded Neo4j's Bolt port listens ({@code DIVETEACHER_EMBEDDED_BOLT},
 *        {@code host:port}): set for remote ingestion, whose workers write to the manager's embedded graph; unset, a
 *        free port on 127.0.0.1 that only this process uses
 * @param hubDegree relationships beyond which an entity is a hub, whose facts retrieval does not walk
 *        ({@code DIVETEACHER_HUB_DEGREE}): a hub's thousands of facts would be ranked for every question
 * @param rarityCap chunks counted at most per question word when the relevance gate weighs how rare it is
 *        ({@code DIVETEACHER_RARITY_CAP}): a word in more chunks than this is common, however many more
 * @param embeddedStoreCache how much of the embedded Neo4j's store files it keeps in memory (its page cache,
 *        {@code DIVETEACHER_EMBEDDED_STORE_CACHE}; off the Java heap, taken as the store grows into it): a store larger
 *        than this is read from disk again and again by every question
 */
@ConfigurationProperties("diveteacher.neo4j")
@Validated
public record GraphProperties(String uri, String username, String password, Path embeddedDirectory, Path pageCache,
        @Min(value = 1, message = "diveteacher.neo4j.page-cache-files must be at least 1, was ${validatedValue}")
        @DefaultValue("2000") int pageCacheFiles, String embeddedBolt,
        @Min(value = 1, message = "diveteacher.neo4j.hub-degree must be at least 1, was ${validatedValue}")
        @DefaultValue("500") int hubDegree,
        @Min(value = 1, message = "diveteacher.neo4j.rarity-cap must be at least 1, was ${validatedValue}")
        @DefaultValue("2000") int rarityCap, DataSize embeddedStoreCache) {

    /** Holds a 100,000-chunk store (about 450 MB of store files). */
    static final DataSize DEFAULT_EMBEDDED_STORE_CACHE = DataSize.ofMegabytes(512);

    public GraphProperties {
        embeddedStoreCache = embeddedStoreCache == null ? DEFAULT_EMBEDDED_STORE_CACHE : embeddedStoreCache;
        if (embeddedStoreCache.toMegabytes() < 8) {
            throw new IllegalStateException("DIVETEACHER_EMBEDDED_STORE_CACHE must be at least 8MB, was "
                    + (embeddedStoreCache.toBytes() % (1 << 20) == 0 ? embeddedStoreCache.toMegabytes() + "MB"
                            : embeddedStoreCache.toBytes() + "B"));
        }
        embeddedBolt = embeddedBolt == null || embeddedBolt.isBlank() ? null : embeddedBolt.strip();
    }

    /** The embedded Bolt listen address: the configured one, checked, or a free port on 127.0.0.1. */
    java.net.InetSocketAddress embeddedBoltAddress() {
        if (embeddedBolt == null) {
            return new java.net.InetSocketAddress("127.0.0.1", 0);
        }
        int colon = embeddedBolt.lastIndexOf(':');
        try {
            int port = Integer.parseInt(embeddedBolt.substring(colon + 1));
            if (colon < 1 || port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return java.net.InetSocketAddress.createUnresolved(embeddedBolt.substring(0, colon), port);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("DIVETEACHER_EMBEDDED_BOLT must be host:port (e.g. 0.0.0.0:7687), was '"
                    + embeddedBolt + "'");
        }
    }

    boolean embedded() {
        return uri == null || uri.isBlank();
    }
}
