package io.diveteacher.graph;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.neo4j.driver.Driver;
import org.neo4j.driver.Record;
import org.neo4j.driver.Session;
import org.neo4j.driver.TransactionContext;
import org.neo4j.driver.Value;
import org.springframework.stereotype.Component;

import io.diveteacher.document.Sentences;

/**
 * Exploring the entities: search by name and description (the {@code entity_text} fulltext index), an entity with
 * its facts and the passages that mention it, and its neighbourhood, one or two hops out, the best supported
 * relationships first and capped.
 */
@Component
class EntityExplorer {

    private static final Pattern LUCENE_SPECIAL = Pattern.compile("[+\\-&|!(){}\\[\\]^\"~*?:\\\\/]");
    private static final int EXCERPT_CHARS = 300;
    private static final int SHORTEST_EXCERPT = 60;

    private static final String SEARCH = """
            CALL db.index.fulltext.queryNodes('entity_text', $query, {limit: $limit}) YIELD node, score
            RETURN node.id AS id, node.name AS name, node.type AS type, coalesce(node.description, '') AS description,
                   COUNT { (node)<-[:MENTIONS]-() } AS mentions
            ORDER BY score DESC, mentions DESC, name""";

    private static final String ENTITY = """
            MATCH (e:Entity {id: $id})
            RETURN e.id AS id, e.name AS name, e.type AS type, coalesce(e.description, '') AS description,
                   coalesce(e.aliases, []) AS aliases, COUNT { (e)<-[:MENTIONS]-() } AS mentions""";

    private static final String MENTIONING = """
            MATCH (:Entity {id: $id})<-[:MENTIONS]-(c:Chunk)-[:PART_OF]->(d:Document)
            RETURN c.id AS id ORDER BY d.name, c.position LIMIT $limit""";

    private static final String RELATIONSHIPS = """
            UNWIND $ids AS id
            MATCH (:Entity {id: id})-[r:RELATED]-(:Entity)
            WITH DISTINCT r
            WITH r, startNode(r) AS s, endNode(r) AS t
            RETURN elementId(r) AS key, s.id AS sourceId, s.name AS sourceName, s.type AS sourceType,
                   t.id AS targetId, t.name AS targetName, t.type AS targetType, r.type AS type,
                   coalesce(r.description, '') AS description, coalesce(r.weight, 1) AS weight
            ORDER BY weight DESC, sourceName, targetName
            LIMIT $limit""";

    private final Driver driver;
    private final GraphRetrieval retrieval;

    EntityExplorer(Driver driver, GraphRetrieval retrieval) {
        this.driver = driver;
        this.retrieval = retrieval;
    }

    record EntityHit(String id, String name, String type, String description, long mentions) {
    }

    record EntityPassage(String chunkId, String documentId, String document, String file, int page, String excerpt) {
    }

    record EntityDetails(String id, String name, String type, String description, List<String> aliases, long mentions,
            List<GraphRetrieval.Fact> facts, List<EntityPassage> passages) {
    }

    record Node(String id, String name, String type, int hop) {
    }

    record Edge(String source, String target, String type, String description, int weight) {
    }

    /** @param truncated whether more relationships were there than the limit let in */
    record Neighbourhood(String center, List<Node> nodes, List<Edge> edges, boolean truncated) {
    }

    /** Entities whose name or description has all the words (the last one as a prefix), best match first. */
    List<EntityHit> search(String words, int limit) {
        List<String> terms = terms(words);
        if (terms.isEmpty()) {
            return List.of();
        }
        List<EntityHit> hits = query(String.join(" AND ", prefixed(terms)), limit);
        return hits.isEmpty() && terms.size() > 1 ? query(String.join(" OR ", prefixed(terms)), limit) : hits;
    }

    private List<EntityHit> query(String luceneQuery, int limit) {
        try (Session session = driver.session()) {
            return session.executeRead(tx -> tx.run(SEARCH, Map.of("query", luceneQuery, "limit", limit)).list(r ->
                    new EntityHit(r.get("id").asString(), r.get("name").asString(), r.get("type").asString(),
                            r.get("description").asString(), r.get("mentions").asLong())));
        }
    }

    /** Plain words, lower case, with Lucene's operators taken as text (never as query syntax). */
    static List<String> terms(String words) {
        List<String> terms = new ArrayList<>();
        for (String word : words.strip().toLowerCase(Locale.ROOT).split("\\s+")) {
            String escaped = LUCENE_SPECIAL.matcher(word).replaceAll("\\\\$0");
            if (!escaped.isEmpty()) {
                terms.add(escaped);
            }
        }
        return terms;
    }

    private static List<String> prefixed(List<String> terms) {
        List<String> query = new ArrayList<>(terms);
        query.set(query.size() - 1, query.getLast() + "*");
        return query;
    }

    Optional<EntityDetails> details(String id, int maxFacts, int maxPassages) {
        Optional<Record> entity;
        List<String> chunkIds;
        try (Session session = driver.session()) {
            entity = session.executeRead(tx -> tx.run(ENTITY, Map.of("id", id)).list().stream().findFirst());
            if (entity.isEmpty()) {
                return Optional.empty();
            }
            chunkIds = session.executeRead(tx -> tx.run(MENTIONING, Map.of("id", id, "limit", maxPassages))
                    .list(r -> r.get("id").asString()));
        }
        Record e = entity.get();
        List<String> aliases = e.get("aliases").asList(Value::asString);
        Map<String, GraphRetrieval.Passage> byId = new LinkedHashMap<>();
        retrieval.passages(chunkIds).forEach(p -> byId.put(p.id(), p));
        List<EntityPassage> passages = new ArrayList<>();
        for (String chunkId : chunkIds) {
            GraphRetrieval.Passage passage = byId.get(chunkId);
            if (passage != null) {
                passages.add(passage(passage, e.get("name").asString(), aliases));
            }
        }
        return Optional.of(new EntityDetails(id, e.get("name").asString(), e.get("type").asString(),
                e.get("description").asString(), aliases, e.get("mentions").asLong(),
                retrieval.facts(List.of(id), maxFacts), passages));
    }

    /**
     * The sentence of the passage that first mentions the entity (by its name or an alias), with the next ones when
     * it is short (a heading), at most {@value #EXCERPT_CHARS} characters, and the page it begins on.
     */
    static EntityPassage passage(GraphRetrieval.Passage passage, String name, List<String> aliases) {
        String text = passage.text();
        String lower = text.toLowerCase(Locale.ROOT);
        int at = Integer.MAX_VALUE;
        Set<String> names = new LinkedHashSet<>();
        names.add(name);
        names.addAll(aliases);
        for (String candidate : names) {
            int found = lower.indexOf(candidate.toLowerCase(Locale.ROOT));
            if (found >= 0) {
                at = Math.min(at, found);
            }
        }
        int mention = at == Integer.MAX_VALUE ? 0 : at;
        List<Sentences.Sentence> sentences = Sentences.of(text);
        int first = 0;
        while (first + 1 < sentences.size() && sentences.get(first + 1).offset() <= mention) {
            first++;
        }
        if (sentences.isEmpty()) {
            sentences = List.of(new Sentences.Sentence(0, text.strip()));
        }
        Sentences.Sentence sentence = sentences.get(first);
        // A heading alone says little: the sentences after it join it up to a readable length.
        StringBuilder joined = new StringBuilder(sentence.text());
        for (int next = first + 1; joined.length() < SHORTEST_EXCERPT && next < sentences.size(); next++) {
            joined.append(' ').append(sentences.get(next).text());
        }
        String excerpt = joined.toString().replaceAll("\\s+", " ");
        if (excerpt.length() > EXCERPT_CHARS) {
            int cut = excerpt.lastIndexOf(' ', EXCERPT_CHARS);
            excerpt = excerpt.substring(0, cut > EXCERPT_CHARS / 2 ? cut : EXCERPT_CHARS) + "…";
        }
        return new EntityPassage(passage.id(), passage.documentId(), passage.document(), passage.file(),
                passage.pageAt(sentence.offset()), excerpt);
    }

    /** The entity, its neighbours and, with two hops, theirs: at most {@code limit} relationships in all. */
    Optional<Neighbourhood> neighbourhood(String id, int hops, int limit) {
        try (Session session = driver.session()) {
            return session.executeRead(tx -> neighbourhood(tx, id, hops, limit));
        }
    }

    private static Optional<Neighbourhood> neighbourhood(TransactionContext tx, String id, int hops, int limit) {
        if (tx.run(ENTITY, Map.of("id", id)).list().isEmpty()) {
            return Optional.empty();
        }
        Map<String, Node> nodes = new LinkedHashMap<>();
        Map<String, Edge> edges = new LinkedHashMap<>();
        boolean truncated = false;
        List<String> ring = List.of(id);
        // A full set of edges still looks one hop further, to say whether more were left out.
        for (int hop = 1; hop <= hops && !ring.isEmpty() && !truncated; hop++) {
            List<Record> found = tx.run(RELATIONSHIPS, Map.of("ids", ring, "limit", limit + 1)).list();
            List<String> next = new ArrayList<>();
            for (Record r : found) {
                if (edges.containsKey(r.get("key").asString())) {
                    continue;
                }
                if (edges.size() >= limit) {
                    truncated = true;
                    break;
                }
                edges.put(r.get("key").asString(), new Edge(r.get("sourceId").asString(), r.get("targetId").asString(),
                        r.get("type").asString(), r.get("description").asString(), r.get("weight").asInt()));
                for (String end : List.of("source", "target")) {
                    String nodeId = r.get(end + "Id").asString();
                    if (!nodes.containsKey(nodeId)) {
                        nodes.put(nodeId, new Node(nodeId, r.get(end + "Name").asString(),
                                r.get(end + "Type").asString(), nodeId.equals(id) ? 0 : hop));
                        next.add(nodeId);
                    }
                }
            }
            truncated |= found.size() > limit;
            ring = next;
        }
        if (!nodes.containsKey(id)) {
            Record e = tx.run(ENTITY, Map.of("id", id)).single();
            nodes.put(id, new Node(id, e.get("name").asString(), e.get("type").asString(), 0));
        }
        return Optional.of(new Neighbourhood(id, List.copyOf(nodes.values()), List.copyOf(edges.values()), truncated));
    }
}
