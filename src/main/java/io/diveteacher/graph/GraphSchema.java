package io.diveteacher.graph;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.neo4j.driver.Driver;
import org.springframework.context.ApplicationEventPublisher;
import org.neo4j.driver.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Constraints and indexes, created idempotently. The vector index takes its dimension from the embedding
 * model in use; an existing index of another dimension means the graph was embedded with another model,
 * and mixing the two would return garbage, so that stops start-up with the ways out.
 */
@Component
public class GraphSchema {

    private static final Logger log = LoggerFactory.getLogger(GraphSchema.class);
    static final String VECTOR_INDEX = "chunk_embedding";

    private static final String EVENTUALLY_CONSISTENT = "OPTIONS {indexConfig: {`fulltext.eventually_consistent`: true}}";

    /** Index (or constraint) name to the statement that creates it. */
    private static final Map<String, String> STATEMENTS = new LinkedHashMap<>();

    static {
        STATEMENTS.put("document_id", "CREATE CONSTRAINT document_id IF NOT EXISTS FOR (d:Document) REQUIRE d.id IS UNIQUE");
        STATEMENTS.put("chunk_id", "CREATE CONSTRAINT chunk_id IF NOT EXISTS FOR (c:Chunk) REQUIRE c.id IS UNIQUE");
        STATEMENTS.put("entity_id", "CREATE CONSTRAINT entity_id IF NOT EXISTS FOR (e:Entity) REQUIRE e.id IS UNIQUE");
        STATEMENTS.put("chunk_document_position",
                "CREATE INDEX chunk_document_position IF NOT EXISTS FOR (c:Chunk) ON (c.documentId, c.position)");
        STATEMENTS.put("entity_key", "CREATE INDEX entity_key IF NOT EXISTS FOR (e:Entity) ON (e.key)");
        // The chunks that state a relationship, found by its key (GraphWriter.fact).
        STATEMENTS.put("states_fact", "CREATE INDEX states_fact IF NOT EXISTS FOR ()-[s:STATES]-() ON (s.fact)");
        // Eventually consistent: updated in the background, not refreshed in every commit (see GraphWriter).
        STATEMENTS.put("chunk_text", "CREATE FULLTEXT INDEX chunk_text IF NOT EXISTS FOR (c:Chunk) ON EACH [c.text] "
                + EVENTUALLY_CONSISTENT);
        // One per language with a stemming analyzer, on the chunks of that language (see TextLanguage).
        for (TextLanguage language : TextLanguage.values()) {
            STATEMENTS.put(language.index(), language.createStatement());
        }
        // Queried by the graph page's entity search (GET /api/graph/entities?q=).
        STATEMENTS.put("entity_text", "CREATE FULLTEXT INDEX entity_text IF NOT EXISTS FOR (e:Entity) "
                + "ON EACH [e.name, e.description] " + EVENTUALLY_CONSISTENT);
    }

    private static final String EXISTING = "SHOW INDEXES YIELD name RETURN collect(name) AS names";

    // A graph that never had the property has no such key, and is not scanned for it at every start.
    private static final String LISTED_SUPPORT = """
            CALL db.propertyKeys() YIELD propertyKey WITH propertyKey WHERE propertyKey = 'chunkIds'
            MATCH ()-[r:RELATED]->() WHERE r.chunkIds IS NOT NULL
            RETURN r LIMIT 1""";

    /**
     * Graphs written before support was kept as {@code STATES} relationships (see GraphWriter.fact) held the
     * supporting chunks' ids in a list on each relationship: each id becomes a {@code STATES} relationship, in
     * batches, so a large graph is not converted in one transaction.
     */
    private static final String SUPPORT_FROM_LISTS = """
            MATCH (a:Entity)-[r:RELATED]->(b:Entity) WHERE r.chunkIds IS NOT NULL
            CALL (a, r, b) {
              CALL (a, r, b) {
                UNWIND r.chunkIds AS chunkId
                MATCH (c:Chunk {id: chunkId})
                MERGE (c)-[:STATES {fact: a.id + '|' + r.type + '|' + b.id}]->(a)
                RETURN count(c) AS support
              }
              SET r.weight = support
              REMOVE r.chunkIds
              WITH r WHERE r.weight = 0
              DELETE r
            } IN TRANSACTIONS OF 500 ROWS""";

    private static final String VECTOR = """
            CREATE VECTOR INDEX chunk_embedding IF NOT EXISTS FOR (c:Chunk) ON (c.embedding)
            OPTIONS {indexConfig: {`vector.dimensions`: $dimensions, `vector.similarity_function`: 'cosine'}}""";

    // Entity names, for resolution (spellings and translations of one thing): derived from the names at each
    // resolve, so an index of another size is simply made again.
    private static final String ENTITY_VECTOR = """
            CREATE VECTOR INDEX entity_embedding IF NOT EXISTS FOR (e:Entity) ON (e.embedding)
            OPTIONS {indexConfig: {`vector.dimensions`: $dimensions, `vector.similarity_function`: 'cosine'}}""";

    private static final String VECTOR_DIMENSIONS = """
            SHOW VECTOR INDEXES YIELD name, options WHERE name = $name
            RETURN options.indexConfig['vector.dimensions'] AS dimensions""";

    private static final String EMBEDDED_WITH = "MATCH (c:Chunk) WHERE c.embeddedWith IS NOT NULL RETURN c.embeddedWith AS model LIMIT 1";

    private final Driver driver;
    private final ApplicationEventPublisher events;

    GraphSchema(Driver driver, ApplicationEventPublisher events) {
        this.driver = driver;
        this.events = events;
    }

    /** Creates what is missing and checks the vector index against the embedding model's dimension. */
    public void ensure(int dimensions, String embeddingModel) {
        try (Session session = driver.session()) {
            // One look-up first: on an existing graph nothing needs creating, and each schema statement costs.
            List<Object> present = session.run(EXISTING).single().get("names").asList();
            for (var statement : STATEMENTS.entrySet()) {
                if (!present.contains(statement.getKey())) {
                    session.run(statement.getValue()).consume();
                }
            }
            if (session.run(LISTED_SUPPORT).hasNext()) {
                log.info("Converting the relationships' lists of supporting chunks to STATES relationships");
                session.run(SUPPORT_FROM_LISTS).consume();
            }
            if (!present.contains(VECTOR_INDEX)) {
                session.run(VECTOR, Map.of("dimensions", dimensions)).consume();
            }
            int existing = session.run(VECTOR_DIMENSIONS, Map.of("name", VECTOR_INDEX)).single().get("dimensions").asInt();
            if (existing != dimensions) {
                var previous = session.run(EMBEDDED_WITH).list();
                String before = previous.isEmpty() ? "another embedding model" : previous.getFirst().get("model").asString();
                throw new VectorIndexMismatchException("""
                        The graph's vector index '%s' holds %d-dimensional embeddings (made by %s), but the embedding \
                        model in use, %s, produces %d dimensions. Mixing them would make search return garbage. \
                        Re-embed the graph with the new model: stop the application and run \
                        `java -jar target/diveteacher.jar reembed` (in Docker: `docker compose run --rm backend \
                        reembed`) with the same settings; it rebuilds the vector index and can be run again to resume. \
                        Or run with the model the graph was built with (set OLLAMA_EMBED_MODEL, or start or stop \
                        Ollama to match whether the fallback was used), or delete the graph and ingest again (the \
                        embedded graph is the folder neo4j/ under DIVETEACHER_DATA_DIR; on a server run \
                        `MATCH (n) DETACH DELETE n` and `DROP INDEX chunk_embedding`)."""
                        .formatted(VECTOR_INDEX, existing, before, embeddingModel, dimensions));
            }
            ensureEntityIndex(session, dimensions);
        }
        log.info("Graph schema ready: constraints, fulltext indexes and a {}-dimensional vector index", dimensions);
        events.publishEvent(new GraphReady(dimensions));
    }

    /**
     * Gives the vector index this many dimensions: one of another size is dropped (its vectors are of no use to
     * the new model) and made again, empty until chunks get vectors of the new size. Returns the dimensions the
     * index had before (0 when there was none).
     */
    public int rebuildVectorIndex(int dimensions) {
        try (Session session = driver.session()) {
            var existing = session.run(VECTOR_DIMENSIONS, Map.of("name", VECTOR_INDEX)).list();
            int before = existing.isEmpty() ? 0 : existing.getFirst().get("dimensions").asInt();
            if (before != dimensions) {
                if (before != 0) {
                    log.warn("Dropping the {}-dimensional vector index '{}' for a {}-dimensional one", before,
                            VECTOR_INDEX, dimensions);
                    session.run("DROP INDEX chunk_embedding").consume();
                }
                session.run(VECTOR, Map.of("dimensions", dimensions)).consume();
            }
            ensureEntityIndex(session, dimensions);
            return before;
        }
    }

    private static void ensureEntityIndex(Session session, int dimensions) {
        var existing = session.run(VECTOR_DIMENSIONS, Map.of("name", "entity_embedding")).list();
        if (!existing.isEmpty() && existing.getFirst().get("dimensions").asInt() != dimensions) {
            session.run("DROP INDEX entity_embedding").consume();
            session.run("MATCH (e:Entity) WHERE e.embedding IS NOT NULL REMOVE e.embedding, e.embeddedWith").consume();
            existing = List.of();
        }
        if (existing.isEmpty()) {
            session.run(ENTITY_VECTOR, Map.of("dimensions", dimensions)).consume();
        }
    }

    /** Waits until every index is online (a rebuilt vector index is populated in the background). */
    public void awaitIndexes(java.time.Duration timeout) {
        try (Session session = driver.session()) {
            session.run("CALL db.awaitIndexes($seconds)", Map.of("seconds", timeout.toSeconds())).consume();
        }
    }

    /** The vector index holds embeddings of another size than the model in use makes. */
    public static final class VectorIndexMismatchException extends IllegalStateException {
        public VectorIndexMismatchException(String message) {
            super(message);
        }
    }
}
