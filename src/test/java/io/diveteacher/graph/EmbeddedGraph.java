package io.diveteacher.graph;

import java.nio.file.Path;

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

/** An empty embedded Neo4j with the application's schema and a Bolt driver to it, for the graph module's tests. */
final class EmbeddedGraph implements AutoCloseable {

    private final DatabaseManagementService dbms;
    final Driver driver;

    EmbeddedGraph(Path home, int dimensions) {
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
        new GraphSchema(driver, event -> { }).ensure(dimensions, "test-embeddings");
    }

    @Override
    public void close() {
        driver.close();
        dbms.shutdown();
    }
}
