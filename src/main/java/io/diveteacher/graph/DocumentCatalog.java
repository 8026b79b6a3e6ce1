package io.diveteacher.graph;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.Value;
import org.springframework.stereotype.Component;

/**
 * Document nodes: registration, status changes, the catalogue, and removing a document's content with
 * the entities and relationships no other document supports.
 */
@Component
public class DocumentCatalog {

    // Reads are read-committed: a document deleted after the MATCH found it reads as a node without some or all of
    // its properties (a delete between two property reads leaves the id but not the path). One snapshot of its
    // properties, and none without what registration always sets, keeps a concurrent delete from becoming an error.
    private static final String RETURN = """
            WITH properties(d) AS d WHERE d.id IS NOT NULL AND d.path IS NOT NULL AND d.name IS NOT NULL
                AND d.checksum IS NOT NULL
            RETURN d.id AS id, d.path AS path, d.name AS name, d.title AS title, d.checksum AS checksum,
                   d.size AS size, d.status AS status, d.reason AS reason, d.pages AS pages, d.chunks AS chunks,
                   d.entities AS entities, d.skippedChunks AS skippedChunks, d.partialChunks AS partialChunks,
                   coalesce(d.incompleteChunks, []) AS incompleteChunks, d.embeddedWith AS embeddedWith,
                   d.extractedWith AS extractedWith, d.ingestedAt AS ingestedAt""";

    private static final String FIND = "MATCH (d:Document {id: $id}) " + RETURN;
    private static final String LIST = "MATCH (d:Document) " + RETURN + " ORDER BY d.name, d.path";
    private static final String FILTER = """
            MATCH (d:Document)
            WHERE ($status IS NULL OR d.status = $status)
              AND ($name IS NULL OR toLower(d.name) CONTAINS $name OR toLower(coalesce(d.title, '')) CONTAINS $name)
            """;
    private static final String PAGE = FILTER + RETURN + " ORDER BY d.name, d.path SKIP $skip LIMIT $limit";
    private static final String COUNT = FILTER + "RETURN count(d) AS count";
    private static final String FIND_ALL = "UNWIND $ids AS id MATCH (d:Document {id: id}) " + RETURN;
    private static final String WITH_CHECKSUM = "MATCH (d:Document {checksum: $checksum}) " + RETURN + " ORDER BY d.path";

    private static final String REGISTER = """
            MERGE (d:Document {id: $id})
            SET d.path = $path, d.name = $name, d.checksum = $checksum, d.size = $size, d.status = 'PENDING',
                d.reason = null, d.embeddedWith = $embeddedWith, d.extractedWith = $extractedWith""";

    private static final String START = "MATCH (d:Document {id: $id}) SET d.status = 'INGESTING', d.reason = null";

    private static final String FINISH = """
            MATCH (d:Document {id: $id})
            CALL (d) {
              OPTIONAL MATCH (d)<-[:PART_OF]-(c:Chunk)
              RETURN count(c) AS chunks
            }
            CALL (d) {
              OPTIONAL MATCH (d)<-[:PART_OF]-(:Chunk)-[:MENTIONS]->(e:Entity)
              RETURN count(DISTINCT e) AS entities
            }
            SET d.status = $status, d.reason = $reason, d.chunks = chunks, d.entities = entities,
                d.title = $title, d.author = $author, d.pages = $pages,
                d.skippedChunks = $skippedChunks, d.partialChunks = $partialChunks,
                d.incompleteChunks = $incompleteChunks, d.ingestedAt = datetime()""";

    private static final String CHUNK_IDS = "MATCH (:Document {id: $id})<-[:PART_OF]-(c:Chunk) RETURN collect(c.id) AS ids";

    private static final String DELETE_CHUNKS = """
            UNWIND $ids AS chunkId
            MATCH (c:Chunk {id: chunkId})
            OPTIONAL MATCH (c)-[:MENTIONS]->(e:Entity)
            WITH c, collect(e.id) AS entityIds
            DETACH DELETE c
            RETURN entityIds""";

    private static final String DELETE_ORPHANS = """
            UNWIND $ids AS entityId
            MATCH (e:Entity {id: entityId})
            WHERE NOT EXISTS { (e)<-[:MENTIONS]-() }
            DETACH DELETE e""";

    private static final String DELETE_DOCUMENT = "MATCH (d:Document {id: $id}) DETACH DELETE d";

    private final Driver driver;

    DocumentCatalog(Driver driver) {
        this.driver = driver;
    }

    public Optional<StoredDocument> find(String id) {
        try (Session session = driver.session()) {
            return session.executeRead(tx -> tx.run(FIND, Map.of("id", id)).list(DocumentCatalog::toDocument))
                    .stream().findFirst();
        }
    }

    public List<StoredDocument> list() {
        try (Session session = driver.session()) {
            return session.executeRead(tx -> tx.run(LIST).list(DocumentCatalog::toDocument));
        }
    }

    /** One page of the catalogue, in name order. */
    public List<StoredDocument> page(int page, int size) {
        return page(page, size, null, null);
    }

    /**
     * One page of the documents with this status (null: any) whose name or title holds {@code name} (null: any;
     * case ignored), in name order.
     */
    public List<StoredDocument> page(int page, int size, DocumentStatus status, String name) {
        Map<String, Object> parameters = filter(status, name);
        parameters.put("skip", (long) page * size);
        parameters.put("limit", size);
        try (Session session = driver.session()) {
            return session.executeRead(tx -> tx.run(PAGE, parameters).list(DocumentCatalog::toDocument));
        }
    }

    public long count() {
        return count(null, null);
    }

    /** How many documents {@link #page(int, int, DocumentStatus, String)} pages through. */
    public long count(DocumentStatus status, String name) {
        try (Session session = driver.session()) {
            return session.executeRead(tx -> tx.run(COUNT, filter(status, name)).single().get("count").asLong());
        }
    }

    private static Map<String, Object> filter(DocumentStatus status, String name) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("status", status == null ? null : status.name());
        parameters.put("name", name == null || name.isBlank() ? null : name.strip().toLowerCase(java.util.Locale.ROOT));
        return parameters;
    }

    /** The documents with these ids that exist, by id. */
    public Map<String, StoredDocument> findAll(List<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        try (Session session = driver.session()) {
            Map<String, StoredDocument> found = new HashMap<>();
            session.executeRead(tx -> tx.run(FIND_ALL, Map.of("ids", ids)).list(DocumentCatalog::toDocument))
                    .forEach(d -> found.put(d.id(), d));
            return found;
        }
    }

    /** Documents whose file has this content, wherever they are. */
    public List<StoredDocument> withChecksum(String checksum) {
        try (Session session = driver.session()) {
            return session.executeRead(tx -> tx.run(WITH_CHECKSUM, Map.of("checksum", checksum)).list(DocumentCatalog::toDocument));
        }
    }

    /** Registers a document to ingest, or re-registers a known one (status PENDING). */
    public void register(String id, String path, String name, String checksum, long size, String embeddedWith,
            String extractedWith) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("id", id);
        parameters.put("path", path);
        parameters.put("name", name);
        parameters.put("checksum", checksum);
        parameters.put("size", size);
        parameters.put("embeddedWith", embeddedWith);
        parameters.put("extractedWith", extractedWith);
        write(REGISTER, parameters);
    }

    public void markIngesting(String id) {
        write(START, Map.of("id", id));
    }

    /** Final status of a document; chunk and entity counts are taken from the graph. */
    public void markFinished(String id, DocumentOutcome outcome) {
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("id", id);
        parameters.put("status", outcome.status().name());
        parameters.put("reason", outcome.reason());
        parameters.put("title", outcome.title());
        parameters.put("author", outcome.author());
        parameters.put("pages", outcome.pages());
        parameters.put("skippedChunks", outcome.skippedChunks());
        parameters.put("partialChunks", outcome.partialChunks());
        parameters.put("incompleteChunks", outcome.incompleteChunks());
        write(FINISH, parameters);
    }

    /** Removes a document's chunks, and the entities and relationships that only it supported. */
    public void removeContent(String id) {
        try (Session session = driver.session()) {
            session.executeWriteWithoutResult(tx -> {
                List<Object> ids = tx.run(CHUNK_IDS, Map.of("id", id)).single().get("ids").asList();
                if (!ids.isEmpty()) {
                    tx.run(GraphWriter.UNLINK_RELATIONSHIPS, Map.of("ids", ids)).consume();
                    List<Object> entityIds = tx.run(DELETE_CHUNKS, Map.of("ids", ids))
                            .list(r -> r.get("entityIds").asList()).stream().flatMap(List::stream).distinct().toList();
                    tx.run(DELETE_ORPHANS, Map.of("ids", entityIds)).consume();
                }
            });
        }
    }

    /** Removes the document itself after its content. */
    public void delete(String id) {
        removeContent(id);
        write(DELETE_DOCUMENT, Map.of("id", id));
    }

    private void write(String query, Map<String, Object> parameters) {
        try (Session session = driver.session()) {
            session.executeWriteWithoutResult(tx -> tx.run(query, parameters).consume());
        }
    }

    private static StoredDocument toDocument(Record r) {
        return new StoredDocument(r.get("id").asString(), r.get("path").asString(null), r.get("name").asString(null),
                r.get("title").asString(null), r.get("checksum").asString(null), r.get("size").asLong(0),
                DocumentStatus.of(r.get("status").asString(null)), r.get("reason").asString(null), nullableInt(r.get("pages")),
                r.get("chunks").asLong(0), r.get("entities").asLong(0), r.get("skippedChunks").asLong(0),
                r.get("partialChunks").asLong(0), r.get("incompleteChunks").asList(Value::asInt),
                r.get("embeddedWith").asString(null), r.get("extractedWith").asString(null),
                r.get("ingestedAt").isNull() ? null : r.get("ingestedAt").asOffsetDateTime());
    }

    private static Integer nullableInt(Value value) {
        return value.isNull() ? null : value.asInt();
    }
}
