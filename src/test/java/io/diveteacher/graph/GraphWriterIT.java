package io.diveteacher.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.neo4j.driver.Record;

import io.diveteacher.document.Chunk;
import io.diveteacher.extraction.ExtractedGraph;

/**
 * A relationship keeps the ids of every chunk that states it, once each, and its weight is their number: whether
 * the chunks come in one commit or several, and when a chunk is written again with an extraction that no longer
 * states it.
 */
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
    static void emptyGraph() {
        graph = new EmbeddedGraph(home, 4);
        writer = new GraphWriter(graph.driver);
        try (var session = graph.driver.session()) {
            session.run("CREATE (:Document {id: 'doc'})").consume();
        }
    }

    @AfterAll
    static void stop() {
        graph.close();
    }

    @Test
    void aRelationshipStatedByManyChunksListsEachOnceAndCountsThem() {
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

    private static void assertSupport(String... chunkIds) {
        try (var session = graph.driver.session()) {
            Record r = session.run("""
                    MATCH (:Entity {id: 'e-nitrox'})-[r:RELATED {type: 'CONTAINS'}]->(:Entity {id: 'e-oxygen'})
                    RETURN r.chunkIds AS ids, r.weight AS weight""").single();
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
