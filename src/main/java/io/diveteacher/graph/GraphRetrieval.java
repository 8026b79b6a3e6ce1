package io.diveteacher.graph;

import java.util.HashMap;
import java.util.function.Function;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.Value;
import org.neo4j.driver.Values;
import org.springframework.stereotype.Component;

/**
 * The read queries behind question answering: vector and fulltext search over chunks, the passages
 * themselves, the entities they mention and the relationships around those entities. Ranking, fusion and
 * budgets are the question module's business; this class only asks the graph.
 */
@Component
public class GraphRetrieval {

    // db.index.vector.queryNodes is deprecated in Cypher 25 in favour of the SEARCH clause, which is still a
    // preview feature in the 2026 releases; the procedure is the generally available way on every server we support.
    private static final String VECTOR = """
            CALL db.index.vector.queryNodes('chunk_embedding', $k, $vector) YIELD node, score
            RETURN node.id AS id, score""";

    private static final String FULLTEXT = """
            CALL db.index.fulltext.queryNodes($index, $query, {limit: $k}) YIELD node, score
            RETURN node.id AS id, score""";

    // vector.similarity.cosine is (1 + cos) / 2: the cosine itself is computed from it in the statement.
    private static final String PASSAGES = """
            UNWIND $ids AS id
            MATCH (c:Chunk {id: id})-[:PART_OF]->(d:Document)
            RETURN c.id AS id, c.text AS text, c.page AS page, c.pageEnd AS pageEnd, c.tokens AS tokens,
                   c.pageOffsets AS pageOffsets, c.pageNumbers AS pageNumbers, c.language AS language,
                   CASE WHEN $vector IS NULL OR c.embedding IS NULL THEN null
                        ELSE 2 * vector.similarity.cosine(c.embedding, $vector) - 1 END AS similarity,
                   d.id AS documentId, d.name AS file, d.title AS title""";

    private static final String MENTIONS = """
            MATCH (c:Chunk)-[:MENTIONS]->(e:Entity) WHERE c.id IN $ids
            RETURN e.id AS id, e.name AS name, e.type AS type, collect(c.id) AS chunkIds,
                   COUNT { (e)<-[:MENTIONS]-() } AS mentions
            ORDER BY size(chunkIds) DESC, mentions DESC, name""";

    // Hubs (entities with more than $hubDegree relationships, such as "nitrogen" in a large library) are not walked:
    // ranking their thousands of facts would cost more than the rest of retrieval, and facts that general rarely
    // answer a question. Their relationships to the other entities still count through those entities.
    // A fact's chunks: those of $among (the passages a question found) that state it, then at most $supporters
    // others, found through the STATES index (GraphWriter.fact); a fact thousands of chunks state is not read whole.
    private static final String FACTS = """
            UNWIND $entityIds AS id
            MATCH (e:Entity {id: id}) WHERE COUNT { (e)-[:RELATED]-() } <= $hubDegree
            MATCH (e)-[r:RELATED]-(:Entity)
            WITH DISTINCT r
            WITH startNode(r) AS a, r, endNode(r) AS b
            WITH a, r, b, toInteger(a.id IN $entityIds) + toInteger(b.id IN $entityIds) AS ends,
                 coalesce(r.weight, 1) AS weight
            ORDER BY ends DESC, weight DESC, a.name, b.name
            LIMIT $limit
            WITH a, r, b, ends, weight, a.id + '|' + r.type + '|' + b.id AS fact
            CALL (fact) {
              MATCH (c:Chunk)-[s:STATES]->() USING INDEX s:STATES(fact) WHERE s.fact = fact
              WITH c LIMIT $supporters
              RETURN collect(c.id) AS some
            }
            WITH a, r, b, ends, weight, some,
                 [id IN $among WHERE EXISTS { (:Chunk {id: id})-[:STATES {fact: fact}]->() }] AS found
            RETURN a.id AS sourceId, a.name AS source, r.type AS type, b.id AS targetId, b.name AS target,
                   r.description AS description, weight, found + [id IN some WHERE NOT id IN found] AS chunkIds
            ORDER BY ends DESC, weight DESC, source, target""";

    /** How many of a fact's chunks beyond those asked about {@link #facts} reads: more than expansion can use. */
    static final int SUPPORTERS = 50;

    // How many chunks hold each word, counted up to $cap: beyond that a word is common anyway, and counting every
    // hit of a common word in a large library would cost more than the rest of retrieval.
    // The library is the chunks the index holds: all of them, or those of one language (its label, from
    // TextLanguage, never from data).
    private static final String RARITY = """
            CALL () { MATCH (c:%s) RETURN count(c) AS chunks }
            UNWIND $terms AS term
            CALL (term) {
              CALL db.index.fulltext.queryNodes($index, term.query, {limit: $cap}) YIELD node
              RETURN count(node) AS containing
            }
            RETURN chunks, term.word AS word, containing""";


    private static final String SAMPLE = """
            MATCH (c:Chunk) WHERE c.embedding IS NOT NULL
            RETURN c.text AS text, c.embedding AS embedding LIMIT $limit""";

    private final Driver driver;
    private final int hubDegree;
    private final int rarityCap;

    GraphRetrieval(Driver driver, GraphProperties properties) {
        this.driver = driver;
        this.hubDegree = properties.hubDegree();
        this.rarityCap = properties.rarityCap();
    }

    /**
     * The languages whose chunks have a fulltext index of their own (ISO 639-1 codes), and {@code und} for the index
     * of all chunks: a warm-up touches each.
     */
    public static List<String> searchLanguages() {
        List<String> languages = new java.util.ArrayList<>(java.util.Arrays.stream(TextLanguage.values())
                .map(TextLanguage::code).toList());
        languages.add("und");
        return languages;
    }

    /** A few passages with their embeddings, as questions that find something without a model call (warm-up). */
    public List<Sample> sample(int limit) {
        try (Session session = driver.session()) {
            return session.run(SAMPLE, Map.of("limit", limit)).list(r -> {
                List<Object> values = r.get("embedding").asList();
                float[] embedding = new float[values.size()];
                for (int i = 0; i < embedding.length; i++) {
                    embedding[i] = ((Number) values.get(i)).floatValue();
                }
                return new Sample(r.get("text").asString(), embedding);
            });
        }
    }

    public record Sample(String text, float[] embedding) {
    }

    /** Chunks nearest to the vector; {@code score} is the index's cosine score, (1 + cos) / 2 in [0, 1]. */
    public List<Match> nearest(float[] vector, int k) {
        return read(VECTOR, Map.of("k", k, "vector", Values.value(vector)),
                r -> new Match(r.get("id").asString(), r.get("score").asDouble()));
    }

    /**
     * Chunks matching a Lucene query, best BM25 score first. The caller builds the query from plain words;
     * it is passed as a parameter, never spliced into the statement.
     */
    public List<Match> fulltext(String luceneQuery, int k) {
        return fulltext(luceneQuery, k, null);
    }

    /**
     * The same, among the chunks written in {@code language} (an ISO 639-1 code) with that language's stemming
     * analyzer when it has one ({@link TextLanguage}); among all chunks with the standard analyzer otherwise.
     */
    public List<Match> fulltext(String luceneQuery, int k, String language) {
        if (luceneQuery.isBlank()) {
            return List.of();
        }
        return read(FULLTEXT, Map.of("k", k, "query", luceneQuery, "index", TextLanguage.indexFor(language)),
                r -> new Match(r.get("id").asString(), r.get("score").asDouble()));
    }

    /**
     * How rare each word is in the library: the number of chunks and, per word, how many chunks the fulltext index
     * finds for its query ({@code word -> Lucene query}, built from plain words by the caller), at most
     * {@link GraphProperties#rarityCap()}.
     */
    public Rarity rarity(Map<String, String> queries) {
        return rarity(queries, null);
    }

    /** The same, among the chunks {@link #fulltext(String, int, String)} searches for {@code language}. */
    public Rarity rarity(Map<String, String> queries, String language) {
        if (queries.isEmpty()) {
            return new Rarity(0, Map.of());
        }
        List<Map<String, String>> terms = queries.entrySet().stream()
                .map(e -> Map.of("word", e.getKey(), "query", e.getValue())).toList();
        Map<String, Long> containing = new HashMap<>();
        long[] chunks = {0};
        try (Session session = driver.session()) {
            String label = TextLanguage.of(language).map(TextLanguage::label).orElse("Chunk");
            Map<String, Object> parameters = Map.of("terms", terms, "cap", rarityCap, "index",
                    TextLanguage.indexFor(language));
            session.executeRead(tx -> tx.run(RARITY.formatted(label), parameters).list()).forEach(r -> {
                chunks[0] = r.get("chunks").asLong();
                containing.put(r.get("word").asString(), r.get("containing").asLong());
            });
        }
        return new Rarity(chunks[0], Map.copyOf(containing));
    }

    /** The library's size in chunks and how many of them hold each word (see {@link #rarity}). */
    public record Rarity(long chunks, Map<String, Long> containing) {

        /** Inverse document frequency: 0 for a word in every chunk, highest for a word in none. */
        public double weight(String word) {
            return Math.log((chunks + 1.0) / (containing.getOrDefault(word, 0L) + 1.0));
        }
    }

    /** The chunks with these ids (in no particular order); ids that no longer exist are left out. */
    public List<Passage> passages(Collection<String> ids) {
        return passages(ids, null);
    }

    /**
     * The chunks with these ids, each with the cosine similarity of its embedding to {@code vector}, computed by
     * Neo4j (the embeddings stay in the graph).
     */
    public List<Passage> passages(Collection<String> ids, float[] vector) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<String, Object> parameters = new HashMap<>();
        parameters.put("ids", List.copyOf(ids));
        parameters.put("vector", vector == null ? null : Values.value(vector));
        return read(PASSAGES, parameters, GraphRetrieval::passage);
    }

    /** Entities these chunks mention, the most widely mentioned among them first. */
    public List<Mention> mentions(Collection<String> chunkIds) {
        if (chunkIds.isEmpty()) {
            return List.of();
        }
        return read(MENTIONS, Map.of("ids", List.copyOf(chunkIds)), r -> new Mention(r.get("id").asString(),
                r.get("name").asString(), r.get("type").asString(), r.get("chunkIds").asList(Value::asString)));
    }

    /**
     * Relationships touching these entities, those between two of them and the best supported first; hubs (more than
     * {@link GraphProperties#hubDegree()} relationships) are not walked. Each comes with the chunks that state it
     * (at most {@link #SUPPORTERS}).
     */
    public List<Fact> facts(Collection<String> entityIds, int limit) {
        return facts(entityIds, limit, List.of());
    }

    /**
     * {@link #facts(Collection, int)}, each fact's chunks starting with those of {@code among} that state it, however
     * many chunks do.
     */
    public List<Fact> facts(Collection<String> entityIds, int limit, Collection<String> among) {
        if (entityIds.isEmpty() || limit <= 0) {
            return List.of();
        }
        return read(FACTS, Map.of("entityIds", List.copyOf(entityIds), "limit", limit, "hubDegree", hubDegree,
                "supporters", SUPPORTERS, "among", List.copyOf(among)), r -> new Fact(
                r.get("sourceId").asString(), r.get("source").asString(), r.get("type").asString(),
                r.get("targetId").asString(), r.get("target").asString(),
                r.get("description").asString(""), r.get("weight").asInt(1),
                r.get("chunkIds").asList(Value::asString)));
    }

    /** A read in a managed read transaction (retried by the driver on transient errors, routed to readers). */
    private <T> List<T> read(String query, Map<String, Object> parameters, Function<Record, T> row) {
        try (Session session = driver.session()) {
            return session.executeRead(tx -> tx.run(query, parameters).list(row::apply));
        }
    }

    private static Passage passage(Record r) {
        List<Integer> offsets = r.get("pageOffsets").isNull() ? List.of() : r.get("pageOffsets").asList(Value::asInt);
        List<Integer> pages = r.get("pageNumbers").isNull() ? List.of() : r.get("pageNumbers").asList(Value::asInt);
        String title = r.get("title").isNull() ? null : r.get("title").asString();
        return new Passage(r.get("id").asString(), r.get("text").asString(), r.get("page").asInt(),
                r.get("pageEnd").asInt(r.get("page").asInt()), r.get("tokens").asInt(0), offsets, pages,
                r.get("similarity").isNull() ? null : r.get("similarity").asDouble(),
                r.get("documentId").asString(), r.get("file").asString(), title, r.get("language").asString(null));
    }

    /** A search hit. */
    public record Match(String id, double score) {
    }

    /**
     * A chunk with what a citation needs. {@code pageOffsets}/{@code pageNumbers} say on which page each part
     * of the text is (empty for chunks written before page positions were recorded); {@code similarity} is the
     * cosine similarity to the vector it was asked with, null when none was; {@code language} is the ISO 639-1 code
     * of the language it is written in ({@code und} when unclear, null for chunks written before languages were).
     */
    public record Passage(String id, String text, int page, int pageEnd, int tokens, List<Integer> pageOffsets,
            List<Integer> pageNumbers, Double similarity, String documentId, String file, String title,
            String language) {

        /** The page the character at {@code offset} is on. */
        public int pageAt(int offset) {
            int result = page;
            for (int i = 0; i < pageOffsets.size() && i < pageNumbers.size(); i++) {
                if (pageOffsets.get(i) <= offset) {
                    result = pageNumbers.get(i);
                }
            }
            return result;
        }

        /** The title when the PDF has one, else the file name. */
        public String document() {
            return title == null || title.isBlank() ? file : title;
        }
    }

    /** An entity and the chunks (among those asked about) that mention it. */
    public record Mention(String id, String name, String type, List<String> chunkIds) {
    }

    /** A relationship as a short fact, with (some of) the chunks it was extracted from, and their number. */
    public record Fact(String sourceId, String source, String type, String targetId, String target, String description,
            int weight,
            List<String> chunkIds) {
    }
}
