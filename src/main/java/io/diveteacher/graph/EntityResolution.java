package io.diveteacher.graph;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.neo4j.driver.Values;
import org.springframework.stereotype.Component;

/**
 * The resolve step's graph work: entities named alike are merged, entities take the description of their
 * first mention in document order and the name their mentions use most (so the result does not depend on which
 * partition wrote first),
 * relationship weights follow the chunks that support them, and entities or relationships left without
 * support are removed.
 */
@Component
public class EntityResolution {

    // The name is the one the chunks use most (then the first in name order), not whichever partition happened to
    // create the entity first: "PPO2" in English manuals and "PpO2" in French ones stay one entity, whose name does
    // not change from one run to the next.
    // The first mention and the most used name are the top row of each entity's mentions (not a sorted list of all of
    // them, as this was: the step reads every mention of every entity after each job, and that took twice as long);
    // the count of mentions is the entity's degree.
    static final String DESCRIPTIONS = """
            MATCH (e:Entity)
            CALL (e) {
              OPTIONAL MATCH (e)<-[m:MENTIONS]-(c:Chunk)
              WITH m ORDER BY c.documentId, c.position
              LIMIT 1
              RETURN m.description AS description
            }
            CALL (e) {
              OPTIONAL MATCH (e)<-[m:MENTIONS]-(:Chunk) WHERE m.name IS NOT NULL
              WITH m.name AS name, count(m) AS uses ORDER BY uses DESC, name
              LIMIT 1
              RETURN name
            }
            SET e.description = coalesce(description, e.description), e.mentions = COUNT { (e)<-[:MENTIONS]-(:Chunk) },
                e.name = coalesce(name, e.name)""";

    /**
     * Entities with the same normalised name but different types (a model may call "oxygen" a gas mix in
     * one chunk and a concept in another) become one: the type mentioned most (then the smallest id) keeps
     * the mentions, relationships and aliases of the others.
     */
    private static final String MERGE_SAME_NAME = """
            MATCH (e:Entity) WHERE e.key IS NOT NULL
            WITH e ORDER BY coalesce(e.mentions, 0) DESC, e.id
            WITH e.key AS key, collect(e) AS group WHERE size(group) > 1
            WITH group[0] AS keep, group[1..] AS duplicates
            UNWIND duplicates AS duplicate
            """ + EntityResolution.MERGE_INTO;

    /** The pairs given become one entity each: {@code keep} takes the mentions, relationships and aliases. */
    private static final String MERGE_PAIRS = """
            UNWIND $pairs AS pair
            MATCH (keep:Entity {id: pair.keep}), (duplicate:Entity {id: pair.duplicate})
            WHERE keep <> duplicate
            """ + EntityResolution.MERGE_INTO;

    private static final String MERGE_INTO = """
            CALL (keep, duplicate) {
              MATCH (c:Chunk)-[m:MENTIONS]->(duplicate)
              MERGE (c)-[kept:MENTIONS]->(keep)
              ON CREATE SET kept.description = m.description, kept.name = m.name
              DELETE m
            }
            CALL (keep, duplicate) {
              MATCH (duplicate)-[r:RELATED]->(other) WHERE other <> keep
              MERGE (keep)-[kept:RELATED {type: r.type}]->(other)
              ON CREATE SET kept.description = r.description
              WITH keep, duplicate, kept, duplicate.id + '|' + r.type + '|' + other.id AS was,
                   keep.id + '|' + r.type + '|' + other.id AS now
              CALL (keep, duplicate, was, now) {
                MATCH (c:Chunk)-[s:STATES {fact: was}]->(duplicate)
                DELETE s
                MERGE (c)-[:STATES {fact: now}]->(keep)
              }
              SET kept.weight = COUNT { ()-[s:STATES {fact: now}]->() }
            }
            CALL (keep, duplicate) {
              MATCH (other)-[r:RELATED]->(duplicate) WHERE other <> keep
              MERGE (other)-[kept:RELATED {type: r.type}]->(keep)
              ON CREATE SET kept.description = r.description
              WITH other, kept, other.id + '|' + r.type + '|' + duplicate.id AS was,
                   other.id + '|' + r.type + '|' + keep.id AS now
              CALL (other, was, now) {
                MATCH (c:Chunk)-[s:STATES {fact: was}]->(other)
                DELETE s
                MERGE (c)-[:STATES {fact: now}]->(other)
              }
              SET kept.weight = COUNT { ()-[s:STATES {fact: now}]->() }
            }
            CALL (keep, duplicate) {
              // Between the two, a relationship would join the kept entity to itself: it goes, with its support.
              MATCH (keep)-[r:RELATED]-(duplicate)
              WITH startNode(r) AS a, r, endNode(r) AS b
              MATCH (:Chunk)-[s:STATES {fact: a.id + '|' + r.type + '|' + b.id}]->(a)
              DELETE s
            }
            SET keep.aliases = keep.aliases + [a IN duplicate.aliases WHERE NOT a IN keep.aliases]
            DETACH DELETE duplicate
            RETURN count(duplicate) AS merged""";

    private static final String TO_EMBED = """
            MATCH (e:Entity) WHERE e.embeddedWith IS NULL OR e.embeddedWith <> $model
            RETURN e.id AS id, e.name AS name ORDER BY e.id LIMIT $limit""";

    private static final String WRITE_EMBEDDINGS = """
            UNWIND $rows AS row
            MATCH (e:Entity {id: row.id})
            SET e.embedding = row.embedding, e.embeddedWith = $model""";

    // vector.similarity.cosine-like scores from the index are (1 + cos) / 2: the cosine is computed from it.
    private static final String NEIGHBOURS = """
            UNWIND $ids AS id
            MATCH (e:Entity {id: id}) WHERE e.embedding IS NOT NULL
            CALL db.index.vector.queryNodes('entity_embedding', $k, e.embedding) YIELD node AS other, score
            WITH e, other, 2 * score - 1 AS cosine
            WHERE other <> e AND other.type = e.type AND cosine >= $minCosine
            RETURN e.id AS id, e.name AS name, coalesce(e.mentions, 0) AS mentions,
                   other.id AS otherId, other.name AS otherName, coalesce(other.mentions, 0) AS otherMentions, cosine""";

    private static final String LINK = """
            UNWIND $links AS link
            MATCH (a:Entity {id: link.a}), (b:Entity {id: link.b})
            MERGE (a)-[s:SAME_AS]->(b)
            SET s.score = link.score""";

    // The weights are kept as chunks are written and removed; counted again here from the STATES relationships
    // (GraphWriter.fact), they stay right should two processes have updated one relationship at once.
    private static final String RELATIONSHIPS = """
            MATCH (a:Entity)-[r:RELATED]->(b:Entity)
            WITH r, COUNT { ()-[s:STATES {fact: a.id + '|' + r.type + '|' + b.id}]->() } AS support
            CALL (r, support) {
              WITH r, support WHERE support = 0
              DELETE r
            }
            WITH r, support WHERE support > 0 AND coalesce(r.weight, 0) <> support
            SET r.weight = support""";

    private static final String ORPHANS = """
            MATCH (e:Entity) WHERE NOT EXISTS { (e)<-[:MENTIONS]-() }
            DETACH DELETE e
            RETURN count(*) AS removed""";

    private final Driver driver;

    EntityResolution(Driver driver) {
        this.driver = driver;
    }

    /** What a resolve pass changed. */
    public record Result(long merged, long orphansRemoved) {
    }

    /** An entity to give a name embedding. */
    public record EntityName(String id, String name) {
    }

    /** Two entities of one type whose name embeddings are close ({@code cosine}), each with its mentions. */
    public record Neighbours(String id, String name, long mentions, String otherId, String otherName, long otherMentions,
            double cosine) {
    }

    /** Entities still without an embedding of their name by {@code model}, at most {@code limit}. */
    public List<EntityName> toEmbed(String model, int limit) {
        try (Session session = driver.session()) {
            return session.executeRead(tx -> tx.run(TO_EMBED, Map.of("model", model, "limit", limit))
                    .list(r -> new EntityName(r.get("id").asString(), r.get("name").asString(""))));
        }
    }

    /** Writes the name embeddings of these entities (ids to vectors), made by {@code model}. */
    public void writeEmbeddings(Map<String, float[]> vectors, String model) {
        List<Map<String, Object>> rows = new ArrayList<>();
        vectors.forEach((id, vector) -> rows.add(Map.of("id", id, "embedding", Values.value(vector))));
        try (Session session = driver.session()) {
            session.executeWriteWithoutResult(tx -> tx.run(WRITE_EMBEDDINGS, Map.of("rows", rows, "model", model))
                    .consume());
        }
    }

    /** For each of these entities, the entities of its type among its {@code k} nearest names, at least that close. */
    public List<Neighbours> neighbours(List<String> ids, int k, double minCosine) {
        try (Session session = driver.session()) {
            return session.executeRead(tx -> tx.run(NEIGHBOURS, Map.of("ids", ids, "k", k + 1, "minCosine", minCosine))
                    .list(r -> new Neighbours(r.get("id").asString(), r.get("name").asString(""),
                            r.get("mentions").asLong(), r.get("otherId").asString(), r.get("otherName").asString(""),
                            r.get("otherMentions").asLong(), r.get("cosine").asDouble())));
        }
    }

    /** Merges each duplicate into the entity it is paired with ({@code duplicate id -> kept id}); returns how many. */
    public long merge(Map<String, String> into) {
        if (into.isEmpty()) {
            return 0;
        }
        List<Map<String, String>> pairs = new ArrayList<>();
        into.forEach((duplicate, keep) -> pairs.add(Map.of("duplicate", duplicate, "keep", keep)));
        try (Session session = driver.session()) {
            return session.executeWrite(tx -> tx.run(MERGE_PAIRS, Map.of("pairs", pairs)).single().get("merged").asLong());
        }
    }

    /** Links pairs of entities that are the same thing under two names ({@code SAME_AS}, with its score). */
    public void link(List<Neighbours> pairs) {
        List<Map<String, Object>> links = pairs.stream()
                .map(p -> Map.<String, Object>of("a", p.id(), "b", p.otherId(), "score", Math.round(p.cosine() * 1000) / 1000.0))
                .toList();
        try (Session session = driver.session()) {
            session.executeWriteWithoutResult(tx -> tx.run(LINK, Map.of("links", links)).consume());
        }
    }

    public Result resolve() {
        try (Session session = driver.session()) {
            session.executeWriteWithoutResult(tx -> tx.run(DESCRIPTIONS).consume());
            long merged = session.executeWrite(tx -> tx.run(MERGE_SAME_NAME).single().get("merged").asLong());
            if (merged > 0) {
                session.executeWriteWithoutResult(tx -> tx.run(DESCRIPTIONS).consume());
            }
            session.executeWriteWithoutResult(tx -> tx.run(RELATIONSHIPS).consume());
            long removed = session.executeWrite(tx -> tx.run(ORPHANS, Map.of()).single().get("removed").asLong());
            return new Result(merged, removed);
        }
    }
}
