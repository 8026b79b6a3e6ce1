package io.diveteacher.graph;

import java.util.Map;

import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
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
    private static final String DESCRIPTIONS = """
            MATCH (e:Entity)
            CALL (e) {
              MATCH (e)<-[m:MENTIONS]-(c:Chunk)
              WITH m, c ORDER BY c.documentId, c.position
              RETURN collect(m.description)[0] AS description, count(m) AS mentions
            }
            CALL (e) {
              OPTIONAL MATCH (e)<-[m:MENTIONS]-(:Chunk) WHERE m.name IS NOT NULL
              WITH m.name AS name, count(m) AS uses ORDER BY uses DESC, name
              RETURN collect(name)[0] AS name
            }
            SET e.description = coalesce(description, e.description), e.mentions = mentions,
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
            CALL (keep, duplicate) {
              MATCH (c:Chunk)-[m:MENTIONS]->(duplicate)
              MERGE (c)-[kept:MENTIONS]->(keep)
              ON CREATE SET kept.description = m.description, kept.name = m.name
              DELETE m
            }
            CALL (keep, duplicate) {
              MATCH (duplicate)-[r:RELATED]->(other) WHERE other <> keep
              MERGE (keep)-[kept:RELATED {type: r.type}]->(other)
              ON CREATE SET kept.description = r.description, kept.chunkIds = r.chunkIds
              ON MATCH SET kept.chunkIds = kept.chunkIds + [id IN r.chunkIds WHERE NOT id IN kept.chunkIds]
            }
            CALL (keep, duplicate) {
              MATCH (other)-[r:RELATED]->(duplicate) WHERE other <> keep
              MERGE (other)-[kept:RELATED {type: r.type}]->(keep)
              ON CREATE SET kept.description = r.description, kept.chunkIds = r.chunkIds
              ON MATCH SET kept.chunkIds = kept.chunkIds + [id IN r.chunkIds WHERE NOT id IN kept.chunkIds]
            }
            SET keep.aliases = keep.aliases + [a IN duplicate.aliases WHERE NOT a IN keep.aliases]
            DETACH DELETE duplicate
            RETURN count(duplicate) AS merged""";

    private static final String RELATIONSHIPS = """
            MATCH ()-[r:RELATED]->()
            WITH r, [id IN r.chunkIds WHERE EXISTS { MATCH (:Chunk {id: id}) }] AS live
            CALL (r, live) {
              WITH r, live WHERE size(live) = 0
              DELETE r
            }
            WITH r, live WHERE size(live) > 0
            SET r.chunkIds = live, r.weight = size(live)""";

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
