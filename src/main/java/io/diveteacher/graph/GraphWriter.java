package io.diveteacher.graph;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.Values;
import org.springframework.stereotype.Component;

import io.diveteacher.document.Chunk;
import io.diveteacher.extraction.ExtractedGraph;

/**
 * Writes chunks with their entities and relationships in one transaction, in one statement. Every
 * write is a MERGE on a stable id, and a chunk written again replaces what it said before (its mentions and its
 * support of relationships, {@link #fact}), so writing the same chunks again (a restarted job) changes nothing and a
 * chunk whose extraction is redone says only what the new extraction found. Entities that no chunk mentions any more
 * are removed by the resolve step. Entity labels come from the ontology's checked type names.
 */
@Component
public class GraphWriter {

    /**
     * For each {@code chunkId}: the relationships it stated lose its support ({@code STATES}, see {@link #fact}) and
     * one of their weight, and go when none is left.
     */
    private static final String UNLINK = """
            MATCH (:Chunk {id: chunkId})-[s:STATES]->(a:Entity)
            WITH s, a, split(s.fact, '|') AS fact
            OPTIONAL MATCH (a)-[r:RELATED {type: fact[1]}]->(:Entity {id: fact[2]})
            DELETE s
            WITH r, count(*) AS lost WHERE r IS NOT NULL
            SET r.weight = r.weight - lost
            WITH r WHERE r.weight <= 0
            DELETE r
            """;

    /**
     * Everything in one statement, so a commit costs one round trip to the server instead of one per part (on Bolt a
     * round trip costs more than writing a commit interval's chunks). The parts run in order, each seeing what the
     * ones before it wrote:
     * <ol>
     * <li>which of the chunks exist already (a partial extraction being redone, or a restarted commit);</li>
     * <li>those chunks' support of relationships goes, and the relationships no chunk supports any more
     * ({@link #UNLINK_RELATIONSHIPS}), and their mentions are deleted: the new extraction says what they mention
     * now;</li>
     * <li>the chunks, linked to their document and to their neighbours;</li>
     * <li>the entities (an entity's id holds its type, so its label is set when it is made) and the chunks' mentions
     * of them, created: the chunks' earlier mentions were deleted above, and an extraction names an entity once;</li>
     * <li>the relationships, each once per commit with the number of its chunks that state it, and each of those
     * chunks' {@code STATES} relationship to its source: a relationship two entities every page names is stated by
     * thousands of chunks, and a list of them on the relationship was rewritten whole by every commit that added to
     * it, a cost that grew with the library.</li>
     * </ol>
     * {@code replan=skip}: every part starts from a unique or composite index seek whatever the graph's size, so
     * the plan made on the first commit stays right; without it Neo4j planned the statement again and again while
     * the statistics of a fast-growing graph kept changing, which cost more than the writes.
     */
    static final String WRITE = """
            CYPHER replan=skip
            CALL () {
              UNWIND $ids AS chunkId
              MATCH (existing:Chunk {id: chunkId})
              RETURN collect(existing.id) AS rewritten
            }
            CALL (rewritten) {
              UNWIND rewritten AS chunkId
            """ + UNLINK + """
            }
            CALL (rewritten) {
              UNWIND rewritten AS chunkId
              MATCH (:Chunk {id: chunkId})-[m:MENTIONS]->(:Entity)
              DELETE m
            }
            CALL () {
              UNWIND $chunks AS row
              MATCH (d:Document {id: row.documentId})
              MERGE (c:Chunk {id: row.id})
              SET c.text = row.text, c.page = row.page, c.pageEnd = row.pageEnd, c.position = row.position,
                  c.tokens = row.tokens, c.documentId = row.documentId, c.embedding = row.embedding,
                  c.pageOffsets = row.pageOffsets, c.pageNumbers = row.pageNumbers,
                  c.embeddedWith = row.embeddedWith, c.extractedWith = row.extractedWith, c.language = row.language
              SET c:$(row.labels)
              MERGE (c)-[:PART_OF]->(d)
              WITH c, row
              OPTIONAL MATCH (previous:Chunk {documentId: row.documentId, position: row.position - 1})
              OPTIONAL MATCH (following:Chunk {documentId: row.documentId, position: row.position + 1})
              FOREACH (p IN CASE WHEN previous IS NULL THEN [] ELSE [previous] END | MERGE (p)-[:NEXT]->(c))
              FOREACH (f IN CASE WHEN following IS NULL THEN [] ELSE [following] END | MERGE (c)-[:NEXT]->(f))
            }
            CALL () {
              UNWIND $entities AS row
              MERGE (e:Entity {id: row.id})
              ON CREATE SET e.name = row.name, e.type = row.type, e.key = row.key, e.description = row.description,
                  e.aliases = [row.name], e:$(row.type)
              WITH e, row
              FOREACH (alias IN CASE WHEN row.name IN e.aliases THEN [] ELSE [row.name] END |
                SET e.aliases = e.aliases + alias)
              WITH e, row
              MATCH (c:Chunk {id: row.chunkId})
              CREATE (c)-[:MENTIONS {description: row.description, name: row.name}]->(e)
            }
            CALL () {
              UNWIND $relationships AS row
              MATCH (a:Entity {id: row.source}), (b:Entity {id: row.target})
              MERGE (a)-[r:RELATED {type: row.type}]->(b)
              ON CREATE SET r.description = row.description, r.weight = 0
              SET r.weight = r.weight + size(row.chunkIds)
              WITH a, row
              UNWIND row.chunkIds AS chunkId
              MATCH (c:Chunk {id: chunkId})
              CREATE (c)-[:STATES {fact: row.fact}]->(a)
            }""";

    /**
     * Takes the chunks' support out of the relationships they state (a relationship joins two entities its chunk
     * mentions) and deletes the relationships no chunk supports any more. Used when a document is deleted.
     */
    static final String UNLINK_RELATIONSHIPS = "UNWIND $ids AS chunkId\n" + UNLINK;

    /**
     * One commit at a time in this process. Documents written at once share their hub entities, and Neo4j's locks
     * on a dense node's relationship groups made concurrent commits deadlock; the driver then waits about a second
     * before it tries again, far longer than the commits it overlapped. Neo4j applies commits to its indexes one
     * after the other anyway. Other processes writing the same graph can still collide; the driver retries those.
     */
    private final ReentrantLock writing = new ReentrantLock(true);

    private final Driver driver;

    GraphWriter(Driver driver) {
        this.driver = driver;
    }

    public void write(List<ChunkRecord> records) {
        if (records.isEmpty()) {
            return;
        }
        List<Map<String, Object>> chunks = new ArrayList<>();
        List<String> ids = records.stream().map(r -> r.chunk().id()).toList();
        List<Map<String, Object>> entities = new ArrayList<>();
        Map<List<String>, Support> relationships = new LinkedHashMap<>();
        for (ChunkRecord record : records) {
            var chunk = record.chunk();
            Map<String, Object> row = new HashMap<>();
            row.put("id", chunk.id());
            row.put("documentId", record.documentId());
            row.put("text", chunk.text());
            row.put("page", chunk.page());
            row.put("pageEnd", chunk.pageEnd());
            row.put("position", chunk.position());
            row.put("tokens", chunk.tokens());
            row.put("pageOffsets", chunk.pageStarts().stream().map(Chunk.PageStart::offset).toList());
            row.put("pageNumbers", chunk.pageStarts().stream().map(Chunk.PageStart::page).toList());
            row.put("embedding", Values.value(record.embedding()));
            row.put("embeddedWith", record.embeddedWith());
            row.put("extractedWith", record.extractedWith());
            row.put("language", chunk.language());
            row.put("labels", TextLanguage.labelsOf(chunk.language()));
            chunks.add(row);
            for (ExtractedGraph.Entity entity : record.extracted().entities()) {
                entities.add(Map.of("id", entity.id(), "name", entity.name(), "type", entity.type(),
                        "key", entity.key(),
                        "description", entity.description(), "chunkId", chunk.id()));
            }
            for (ExtractedGraph.Relationship relationship : record.extracted().relationships()) {
                relationships.computeIfAbsent(List.of(relationship.sourceId(), relationship.targetId(),
                        relationship.type()), key -> new Support(relationship)).chunkIds().add(chunk.id());
            }
        }
        // A stable lock order keeps concurrent partitions that share entities from deadlocking.
        entities.sort(Comparator.comparing(row -> (String) row.get("id")));
        List<Map<String, Object>> relationshipRows = relationships.values().stream()
                .sorted(Comparator.comparing((Support support) -> support.relationship().sourceId())
                        .thenComparing(support -> support.relationship().targetId()))
                .map(Support::row).toList();
        writing.lock();
        try (Session session = driver.session()) {
            session.executeWriteWithoutResult(tx -> tx.run(WRITE, Map.of("ids", ids, "chunks", chunks,
                    "entities", entities, "relationships", relationshipRows)).consume());
        } finally {
            writing.unlock();
        }
    }

    /**
     * The key of a relationship on each {@code STATES} relationship of a chunk that states it (from the chunk to the
     * relationship's source, indexed: {@code states_fact}): source id, type and target id, joined by {@code |},
     * which neither entity ids (hashes) nor relationship types (ontology names) hold. Neo4j relationships cannot
     * point at relationships, so a chunk's support is kept this way, written once with the chunk; the relationship
     * holds only its weight, the number of chunks that state it.
     */
    static String fact(String sourceId, String type, String targetId) {
        return sourceId + "|" + type + "|" + targetId;
    }

    /** A relationship a commit writes, with the chunks of the commit that state it, in their order. */
    private record Support(ExtractedGraph.Relationship relationship, Set<String> chunkIds) {

        Support(ExtractedGraph.Relationship relationship) {
            this(relationship, new LinkedHashSet<>());
        }

        Map<String, Object> row() {
            return Map.of("source", relationship.sourceId(), "target", relationship.targetId(), "type",
                    relationship.type(), "description", relationship.description(), "chunkIds", List.copyOf(chunkIds),
                    "fact", fact(relationship.sourceId(), relationship.type(), relationship.targetId()));
        }
    }

    /**
     * Waits until fulltext search finds everything written so far. The fulltext indexes are eventually consistent:
     * Neo4j updates them in the background instead of refreshing them in every commit, which cost more than the rest
     * of a commit's index upkeep; a job calls this before it reports, so what it ingested is searchable once it is
     * done.
     */
    public void awaitSearchable() {
        try (Session session = driver.session()) {
            session.run("CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()").consume();
        }
    }
}
