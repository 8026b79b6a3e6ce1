package io.diveteacher.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.Values;
import org.springframework.stereotype.Component;

/**
 * The chunks' embeddings as the {@code reembed} job rewrites them: the chunks still to do, in id order (the
 * {@code chunk_id} constraint's index gives that order without sorting, and a restart resumes after the last id
 * written), and their new vectors and languages. A chunk is still to do when it was embedded by another model, has
 * a vector of another size, or has no language yet (chunks written before languages were detected); or always,
 * when everything is to be done again.
 */
@Component
public class ChunkVectors {

    private static final String TO_DO = """
            ($all OR c.embeddedWith IS NULL OR c.embeddedWith <> $model OR c.language IS NULL
             OR c.embedding IS NULL OR size(c.embedding) <> $dimensions)""";

    private static final String COUNT = "MATCH (c:Chunk) WHERE " + TO_DO + " RETURN count(c) AS chunks";

    private static final String PAGE = "MATCH (c:Chunk) WHERE c.id > $after AND " + TO_DO + """

            RETURN c.id AS id, c.text AS text ORDER BY c.id LIMIT $limit""";

    private static final String WRITE = """
            UNWIND $rows AS row
            MATCH (c:Chunk {id: row.id})
            SET c.embedding = row.embedding, c.embeddedWith = $model, c.language = row.language
            SET c:$(row.labels)""";

    // A document whose chunks all carry the model's vectors counts as embedded with it, so that the next ingestion
    // does not take it for a document to ingest again.
    private static final String DOCUMENTS = """
            MATCH (d:Document) WHERE d.embeddedWith IS NOT NULL AND d.embeddedWith <> $model
              AND NOT EXISTS { (d)<-[:PART_OF]-(c:Chunk) WHERE c.embeddedWith IS NULL OR c.embeddedWith <> $model }
            SET d.embeddedWith = $model
            RETURN count(d) AS documents""";

    private final Driver driver;

    ChunkVectors(Driver driver) {
        this.driver = driver;
    }

    /** A chunk to embed again. */
    public record ChunkText(String id, String text) {
    }

    /** Its new vector and language (an ISO 639-1 code or {@code und}). */
    public record ChunkVector(String id, float[] embedding, String language) {
    }

    /** How many chunks are still to do. */
    public long remaining(String model, int dimensions, boolean all) {
        try (Session session = driver.session()) {
            return session.executeRead(tx -> tx.run(COUNT, Map.of("all", all, "model", model, "dimensions", dimensions))
                    .single().get("chunks").asLong());
        }
    }

    /** The next chunks to do after the chunk {@code after} (by id; "" for the first). */
    public List<ChunkText> after(String after, int limit, String model, int dimensions, boolean all) {
        try (Session session = driver.session()) {
            return session.executeRead(tx -> tx.run(PAGE, Map.of("after", after, "limit", limit, "all", all,
                    "model", model, "dimensions", dimensions))
                    .list(r -> new ChunkText(r.get("id").asString(), r.get("text").asString(""))));
        }
    }

    /** Writes the chunks' new vectors, model and languages in one transaction. */
    public void write(List<ChunkVector> vectors, String model) {
        List<Map<String, Object>> rows = new ArrayList<>(vectors.size());
        for (ChunkVector vector : vectors) {
            rows.add(Map.of("id", vector.id(), "embedding", Values.value(vector.embedding()), "language",
                    vector.language(), "labels", TextLanguage.labelsOf(vector.language())));
        }
        try (Session session = driver.session()) {
            session.executeWriteWithoutResult(tx -> tx.run(WRITE, Map.of("rows", rows, "model", model)).consume());
        }
    }

    /** Marks the documents all of whose chunks now carry the model's vectors; returns how many. */
    public long markDocuments(String model) {
        try (Session session = driver.session()) {
            return session.executeWrite(tx -> tx.run(DOCUMENTS, Map.of("model", model)).single().get("documents").asLong());
        }
    }
}
