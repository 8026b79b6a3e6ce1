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
import org.neo4j.driver.Driver;
import org.neo4j.driver.summary.Plan;

/**
 * The graph writer's statement runs with {@code replan=skip}: the plan made on the first commit, on an empty graph,
 * is kept however large the graph grows. That is only right if that plan finds every node through an index; a
 * label scan planned while the graph was empty would make every later commit slower the larger the graph.
 */
class GraphWriterPlanIT {

    @TempDir
    static Path home;

    static EmbeddedGraph graph;
    static Driver driver;

    @BeforeAll
    static void emptyGraphWithItsSchema() {
        graph = new EmbeddedGraph(home, 4);
        driver = graph.driver;
    }

    @AfterAll
    static void stop() {
        graph.close();
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
