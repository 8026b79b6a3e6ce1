package io.diveteacher.graph;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.neo4j.configuration.FulltextSettings;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.ConnectorPortRegister;
import org.neo4j.configuration.connectors.ConnectorType;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.dbms.api.DatabaseManagementService;
import org.neo4j.dbms.api.DatabaseManagementServiceBuilder;
import org.neo4j.kernel.api.impl.index.lucene.LuceneSettings;
import org.neo4j.kernel.internal.GraphDatabaseAPI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.stereotype.Component;

/**
 * Neo4j community edition in-process, for local runs and tests: Bolt on a free localhost port, data
 * under the data directory. GPL-3.0, so it only exists in the local build (src/local).
 */
@Component
@ConditionalOnExpression("'${diveteacher.neo4j.uri:}'.isBlank()")
class EmbeddedNeo4jServer implements EmbeddedNeo4j, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedNeo4jServer.class);
    /** How often the fulltext indexes take in what was written (as docker-compose.base.yml sets for the server). */
    static final Duration FULLTEXT_REFRESH = Duration.ofSeconds(1);

    private final DatabaseManagementService dbms;
    private final URI boltUri;

    EmbeddedNeo4jServer(GraphProperties properties) {
        Path home = properties.embeddedDirectory();
        if (home == null) {
            throw new IllegalStateException("diveteacher.neo4j.embedded-directory is not set");
        }
        long started = System.nanoTime();
        var bolt = properties.embeddedBoltAddress();
        if (properties.embeddedBolt() != null) {
            log.warn("Graph: the embedded Neo4j listens for workers on {} without authentication: keep that address "
                    + "on a private network", properties.embeddedBolt());
        }
        this.dbms = new DatabaseManagementServiceBuilder(home.toAbsolutePath())
                .setConfig(BoltConnector.enabled, true)
                .setConfig(BoltConnector.listen_address, new SocketAddress(bolt.getHostString(), bolt.getPort()))
                .setConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .setConfig(GraphDatabaseSettings.auth_enabled, false)
                .setConfig(GraphDatabaseSettings.preallocate_logical_logs, false)
                // 64 MB (what this was) held a tenth of a 100,000-chunk store: every question then read its passages'
                // pages from disk again (a quarter of what retrieval allocated was page faults).
                .setConfig(GraphDatabaseSettings.pagecache_memory, properties.embeddedStoreCache().toBytes())
                // The Bolt server's event loops otherwise wait seconds for more work before stopping, which
                // made every command-line run linger after its summary was ready.
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, Duration.ZERO)
                .setConfig(GraphDatabaseInternalSettings.netty_server_shutdown_timeout, Duration.ofSeconds(2))
                // Each commit adds a small segment to the vector index; Lucene merges them (rebuilding HNSW graphs)
                // once a level holds this many. 40 rather than Neo4j's 50 measured 0.63-0.64 of the naive ETL's
                // pages per second against 0.55 (PipelineBenchmark, twice each; 200 gave 0.50, 20 0.63, 10 0.60).
                .setConfig(LuceneSettings.vector_standard_merge_factor, 40)
                // The fulltext indexes are eventually consistent; by default Neo4j refreshes them after every commit's
                // updates, each refresh a new small segment for Lucene to merge again. Once a second cost the writes
                // of a commit 10-25 % less CPU (in a benchmark of the graph writer alone) and as much as commits four
                // times larger; a job still waits for the last refresh before it reports (GraphWriter.awaitSearchable).
                .setConfig(FulltextSettings.eventually_consistent_refresh_interval, FULLTEXT_REFRESH)
                .build();
        GraphDatabaseAPI db = (GraphDatabaseAPI) dbms.database(GraphDatabaseSettings.DEFAULT_DATABASE_NAME);
        var address = db.getDependencyResolver().resolveDependency(ConnectorPortRegister.class)
                .getLocalAddress(ConnectorType.BOLT);
        // Listening on every interface (for workers): this process itself connects through the loopback one.
        String host = address.getHost().equals("0.0.0.0") || address.getHost().equals("::") ? "127.0.0.1"
                : address.getHost();
        this.boltUri = URI.create("bolt://" + host + ":" + address.getPort());
        log.info("Graph: embedded Neo4j in {} on {} (started in {} ms)", home.toAbsolutePath(), boltUri,
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    @Override
    public URI boltUri() {
        return boltUri;
    }

    @Override
    public void destroy() {
        dbms.shutdown();
    }
}
