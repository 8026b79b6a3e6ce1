package io.diveteacher.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.Record;
import org.neo4j.driver.summary.Plan;

import io.diveteacher.document.Chunk;
import io.diveteacher.extraction.ExtractedGraph;

/**
 * The graph writer against an embedded Neo4j with the application's schema (one start for both tests: the plan is
 * checked first, on the empty graph).
 * <ul>
 * <li>Its statement runs with {@code replan=skip}: the plan made on the first commit, on an empty graph, is kept
 * however large the graph grows. That is only right if that plan finds every node through an index; a label scan
 * planned while the graph was empty would make every later commit slower the larger the graph.</li>
 * <li>Every chunk that states a relationship has one {@code STATES} relationship to its source with its key, and the
 * relationship's weight is their number: whether the chunks come in one commit or several, and when a chunk is
 * written again with an extraction that no longer states it.</li>
 * </ul>
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GraphWriterIT {

    @TempDir
    static Path home;

    static EmbeddedGraph graph;
    static GraphWriter writer;

    private static final ExtractedGraph.Entity NITROX = new ExtractedGraph.Entity("e-nitrox", "Nitrox", "Gas",
            "Oxygen-enriched air.");
    private static final ExtractedGraph.Entity OXYGEN = new ExtractedGraph.Entity("e-oxygen", "Oxygen", "Gas",
            "A gas.");
    private static final ExtractedGraph.Relationship CONTAINS = new ExtractedGraph.Relationship("e-nitrox",
            "e-oxygen", "CONTAINS", "Nitrox contains more oxygen than air.");

    @BeforeAll
    static void emptyGraphWithItsSchema() {
        graph = new EmbeddedGraph(home, 4);
        writer = new GraphWriter(graph.driver);
    }

    @AfterAll
    static void stop() {
        graph.close();
    }

    @Test
    @Order(1)
    void theWritePlannedOnAnEmptyGraphFindsEveryNodeThroughAnIndex() {
        Plan plan;
        try (var session = graph.driver.session()) {
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

    @Test
    @Order(2)
    void aRelationshipStatedByManyChunksListsEachOnceAndCountsThem() {
        try (var session = graph.driver.session()) {
            session.run("CREATE (:Document {id: 'doc'})").consume();
        }
        ExtractedGraph states = new ExtractedGraph(List.of(NITROX, OXYGEN), List.of(CONTAINS, CONTAINS));
        writer.write(List.of(record("c0", 0, states), record("c1", 1, states), record("c2", 2, states)));
        assertSupport("c0", "c1", "c2");

        writer.write(List.of(record("c3", 3, states), record("c1", 1, states)));
        assertSupport("c0", "c1", "c2", "c3");

        ExtractedGraph no = new ExtractedGraph(List.of(NITROX, OXYGEN), List.of());
        writer.write(List.of(record("c1", 1, no), record("c4", 4, states)));
        assertSupport("c0", "c2", "c3", "c4");
        try (var session = graph.driver.session()) {
            assertThat(session.run("MATCH ()-[r:RELATED]->() RETURN count(r) AS n").single().get("n").asLong())
                    .isEqualTo(1);
        }
    }

    @Test
    @Order(3)
    void aFactListsTheChunksAskedAboutThatStateItThenAFewOthersAndCountsThemAll() {
        ExtractedGraph states = new ExtractedGraph(List.of(NITROX, OXYGEN), List.of(CONTAINS));
        List<ChunkRecord> many = new ArrayList<>();
        for (int i = 0; i < GraphRetrieval.SUPPORTERS + 30; i++) {
            many.add(record("m" + i, 100 + i, states));
        }
        for (int from = 0; from < many.size(); from += 16) {
            writer.write(many.subList(from, Math.min(many.size(), from + 16)));
        }
        GraphRetrieval retrieval = new GraphRetrieval(graph.driver,
                new GraphProperties(null, "neo4j", null, null, null, 1, null, 500, 2000, null));
        String late = "m" + (GraphRetrieval.SUPPORTERS + 20);

        GraphRetrieval.Fact fact = retrieval.facts(List.of("e-oxygen"), 10, List.of(late, "c0", "nowhere"))
                .getFirst();

        // c0, c2, c3 and c4 state it from the test before.
        assertThat(fact.weight()).isEqualTo(GraphRetrieval.SUPPORTERS + 30 + 4);
        assertThat(fact.chunkIds()).startsWith(late, "c0").doesNotHaveDuplicates()
                .hasSizeBetween(GraphRetrieval.SUPPORTERS, GraphRetrieval.SUPPORTERS + 2).doesNotContain("nowhere");
        assertThat(retrieval.facts(List.of("e-nitrox"), 10).getFirst().chunkIds())
                .hasSize(GraphRetrieval.SUPPORTERS);
    }

    @Test
    @Order(4)
    void aGraphWhoseRelationshipsListedTheirChunksGetsStatesRelationshipsInstead() {
        try (var session = graph.driver.session()) {
            session.run("""
                    MATCH (:Chunk)-[s:STATES]->() DELETE s
                    WITH count(*) AS gone
                    MATCH (a:Entity {id: 'e-nitrox'})-[r:RELATED]->(b:Entity {id: 'e-oxygen'})
                    SET r.chunkIds = ['c0', 'c2', 'gone'], r.weight = 3
                    CREATE (a)-[:RELATED {type: 'DILUTES', chunkIds: ['gone'], weight: 1}]->(b)""").consume();
        }

        new GraphSchema(graph.driver, event -> { }).ensure(4, "test-embeddings");

        assertSupport("c0", "c2");
        try (var session = graph.driver.session()) {
            assertThat(session.run("MATCH ()-[r:RELATED]->() RETURN count(r) AS n, collect(r.chunkIds) AS lists")
                    .single().asMap()).isEqualTo(Map.of("n", 1L, "lists", List.of()));
        }
    }

    @Test
    @Order(5)
    void resolvedEntitiesTakeTheirFirstMentionsDescriptionInDocumentOrderAndTheirMostUsedName() {
        try (var session = graph.driver.session()) {
            session.run("CREATE (:Document {id: 'doc-a'}), (:Document {id: 'doc-b'})").consume();
        }
        // Written in another order than the documents': doc-b first, doc-a's later chunk before its earlier one.
        writer.write(List.of(mention("doc-b", "b0", 0, "TRIMIX", "From doc-b.")));
        writer.write(List.of(mention("doc-a", "a5", 5, "Trimix", "From doc-a, later."),
                mention("doc-a", "a2", 2, "Trimix", "From doc-a, first.")));
        writer.write(List.of(mention("doc-b", "b1", 1, "TRIMIX", "From doc-b again."),
                mention("doc-b", "b2", 2, "Trimix", "From doc-b, third.")));

        new EntityResolution(graph.driver).resolve();

        try (var session = graph.driver.session()) {
            var entity = session.run("MATCH (e:Entity {id: 'e-trimix'}) RETURN e.description AS d, e.name AS n, "
                    + "e.mentions AS m").single();
            assertThat(entity.get("d").asString()).isEqualTo("From doc-a, first.");
            assertThat(entity.get("n").asString()).as("used by three mentions of five").isEqualTo("Trimix");
            assertThat(entity.get("m").asLong()).isEqualTo(5);
        }
    }

    private static ChunkRecord mention(String document, String id, int position, String name, String description) {
        ExtractedGraph.Entity entity = new ExtractedGraph.Entity("e-trimix", name, "trimix", "Gas", description);
        Chunk chunk = new Chunk(id, name + " holds helium (" + id + ").", 1, 1, position, 8,
                List.of(new Chunk.PageStart(0, 1)), "en");
        return new ChunkRecord(document, chunk, new float[] {0.3f, 0.2f, 0.1f, position}, "test-embeddings",
                new ExtractedGraph(List.of(entity), List.of()), "test-model");
    }

    private static void assertSupport(String... chunkIds) {
        try (var session = graph.driver.session()) {
            Record r = session.run("""
                    MATCH (:Entity {id: 'e-nitrox'})-[r:RELATED {type: 'CONTAINS'}]->(:Entity {id: 'e-oxygen'})
                    RETURN [(c:Chunk)-[:STATES {fact: 'e-nitrox|CONTAINS|e-oxygen'}]->(:Entity {id: 'e-nitrox'})
                            | c.id] AS ids, r.weight AS weight""").single();
            assertThat(r.get("ids").asList(v -> v.asString())).containsExactlyInAnyOrder(chunkIds);
            assertThat(r.get("weight").asLong()).isEqualTo(chunkIds.length);
        }
    }

    private static ChunkRecord record(String id, int position, ExtractedGraph extracted) {
        Chunk chunk = new Chunk(id, "Nitrox holds more Oxygen than air (" + id + ").", 1, 1, position, 12,
                List.of(new Chunk.PageStart(0, 1)), "en");
        return new ChunkRecord("doc", chunk, new float[] {0.1f, 0.2f, 0.3f, 0.4f + position}, "test-embeddings",
                extracted, "test-model");
    }
}
