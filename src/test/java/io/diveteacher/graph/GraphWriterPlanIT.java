package io.diveteacher.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
import org.neo4j.driver.summary.Plan;
import org.neo4j.kernel.internal.GraphDatabaseAPI;

/**
 * The graph writer's statement runs with {@code replan=skip}: the plan made on the first commit, on an empty graph,
 * is kept however large the graph grows. That is only right if that plan finds every node through an index; a
 * label scan planned while the graph was empty would make every later commit slower the larger the graph.
 */
class GraphWriterPlanIT {

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
    void theWritePlannedOnAnEmptyGraphFindsEveryNodeThroughAnIndex() {
        Plan plan;
        try (var session = driver.session()) {
            plan = session.run("EXPLAIN " + GraphWriter.WRITE, Map.of("ids", List.of(), "chunks", List.of(),
                    "entities", List.of(), "relationships", List.of())).consume().plan();
        }
        List<String> operators = new ArrayList<>();
        collect(plan, operators);

        assertThat(operators).as(String.join(", ", operators))
                .noneMatch(o -> o.contains("LabelScan") || o.contains("AllNodesScan") || o.contains("RelationshipTypeScan"))
                .anyMatch(o -> o.startsWith("NodeUniqueIndexSeek"))
                .anyMatch(o -> o.startsWith("MergeUniqueNode") || o.startsWith("Merge"))
                .anyMatch(o -> o.startsWith("NodeIndexSeek"));
    }

    private static void collect(Plan plan, List<String> operators) {
        operators.add(plan.operatorType());
        plan.children().forEach(child -> collect(child, operators));
    }
}
