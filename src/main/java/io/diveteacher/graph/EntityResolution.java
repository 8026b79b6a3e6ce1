package io.diveteacher.graph;

import java.util.Map;

import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.springframework.stereotype.Component;

/**
 * The resolve step's graph work: entities take the description of their first mention in document
 * order (so the result does not depend on which partition wrote first), relationship weights follow the
 * chunks that support them, and entities or relationships left without support are removed.
 */
@Component
public class EntityResolution {

    private static final String DESCRIPTIONS = """
            MATCH (e:Entity)
            CALL (e) {
              MATCH (e)<-[m:MENTIONS]-(c:Chunk)
              WITH m, c ORDER BY c.documentId, c.position
              RETURN collect(m.description)[0] AS description, count(m) AS mentions
            }
            SET e.description = coalesce(description, e.description), e.mentions = mentions""";

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

    /** Returns the number of orphan entities removed. */
    public long resolve() {
        try (Session session = driver.session()) {
            session.executeWriteWithoutResult(tx -> tx.run(DESCRIPTIONS).consume());
            session.executeWriteWithoutResult(tx -> tx.run(RELATIONSHIPS).consume());
            return session.executeWrite(tx -> tx.run(ORPHANS, Map.of()).single().get("removed").asLong());
        }
    }
}
