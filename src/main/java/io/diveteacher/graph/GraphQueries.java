package io.diveteacher.graph;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.springframework.stereotype.Component;

/** Read-only figures about the graph: statistics, and the totals an ingestion summary reports. */
@Component
public class GraphQueries {

    private static final String LABELS = "MATCH (n) UNWIND labels(n) AS label RETURN label, count(*) AS count ORDER BY label";
    private static final String ENTITY_TYPES = """
            CALL db.labels() YIELD label
            WHERE NOT label IN ['Document', 'Chunk', 'Entity']
            RETURN label ORDER BY label""";
    private static final String TYPES = "MATCH ()-[r]->() RETURN type(r) AS type, count(*) AS count ORDER BY type";
    private static final String INDEXES = """
            SHOW INDEXES YIELD name, type, state, populationPercent
            RETURN name, type, state, populationPercent ORDER BY name""";
    private static final String DOCUMENT_RELATIONSHIPS = """
            MATCH (d:Document)<-[:PART_OF]-(:Chunk)-[s:STATES]->() WHERE d.id IN $ids
            RETURN count(DISTINCT s.fact) AS relationships""";

    private static final String DOCUMENT_ENTITIES = """
            MATCH (d:Document)<-[:PART_OF]-(:Chunk)-[:MENTIONS]->(e:Entity) WHERE d.id IN $ids
            RETURN count(DISTINCT e) AS entities""";

    private final Driver driver;

    GraphQueries(Driver driver) {
        this.driver = driver;
    }

    public GraphStats stats() {
        try (Session session = driver.session()) {
            return session.executeRead(tx -> {
                Map<String, Long> nodes = new LinkedHashMap<>();
                tx.run(LABELS).forEachRemaining(r -> nodes.put(r.get("label").asString(), r.get("count").asLong()));
                Map<String, Long> relationships = new LinkedHashMap<>();
                tx.run(TYPES).forEachRemaining(r -> relationships.put(r.get("type").asString(), r.get("count").asLong()));
                List<GraphStats.IndexState> indexes = tx.run(INDEXES).list(r -> new GraphStats.IndexState(
                        r.get("name").asString(), r.get("type").asString(), r.get("state").asString(),
                        r.get("populationPercent").asDouble(0)));
                return new GraphStats(nodes, relationships, indexes);
            });
        }
    }

    /** The entity types (labels) in the graph, by name: whatever ontology built it. */
    public List<String> entityTypes() {
        try (Session session = driver.session()) {
            return session.executeRead(tx -> tx.run(ENTITY_TYPES).list(r -> r.get("label").asString()));
        }
    }

    /** Distinct entities mentioned by these documents. */
    public long entitiesOf(List<String> documentIds) {
        try (Session session = driver.session()) {
            return session.executeRead(tx -> tx.run(DOCUMENT_ENTITIES, Map.of("ids", documentIds)).single()
                    .get("entities").asLong());
        }
    }

    /** Relationships supported by at least one chunk of these documents. */
    public long relationshipsOf(List<String> documentIds) {
        try (Session session = driver.session()) {
            return session.executeRead(tx -> tx.run(DOCUMENT_RELATIONSHIPS, Map.of("ids", documentIds)).single()
                    .get("relationships").asLong());
        }
    }
}
