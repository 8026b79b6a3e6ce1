package io.diveteacher.ingestion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.neo4j.driver.Driver;
import org.neo4j.driver.Session;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.diveteacher.inference.OllamaTestServer;

/**
 * One application context for the ingestion integration tests: embedded Neo4j and H2 in a temporary data
 * directory, models served by {@link OllamaTestServer}. Each test ingests its own copy of the files it
 * needs, so job instances and documents never collide between tests. Commits hold 16 chunks whatever the test
 * model's pace (the tests that fail or stop a job midway count them).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = {
        "diveteacher.ingestion.retry-backoff=10ms", "diveteacher.ingestion.retry-attempts=1",
        "diveteacher.inference.num-parallel=4", "diveteacher.ingestion.max-commit-interval=16" })
abstract class IngestionTestSupport {

    static final OllamaTestServer OLLAMA = new OllamaTestServer();
    static final Path DATA = temporaryDirectory("diveteacher-it-");

    static Path temporaryDirectory(String prefix) {
        try {
            return Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("diveteacher.data-dir", DATA::toString);
        registry.add("spring.ai.ollama.base-url", OLLAMA::baseUrl);
    }

    @Autowired
    IngestionLauncher launcher;

    @Autowired
    javax.sql.DataSource dataSource;

    /** Each test pays for its model calls: results cached by an earlier test (same sample texts) would hide them. */
    @Autowired
    io.diveteacher.inference.ModelResults modelResults;

    @org.junit.jupiter.api.BeforeEach
    void forgetCachedModelResults() {
        // Extractions of an earlier test that ended while they ran may still be storing their results.
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        modelResults.flush(java.time.Duration.ofSeconds(10));
        new org.springframework.jdbc.core.JdbcTemplate(dataSource).update("DELETE FROM DIVETEACHER_MODEL_RESULTS");
    }

    @Autowired
    Driver driver;

    /** A fresh folder holding copies of these sample PDFs. */
    static Path copyOfSamples(String... names) throws IOException {
        return copyOfSamples(DATA, names);
    }

    static Path copyOfSamples(Path under, String... names) throws IOException {
        Path folder = Files.createTempDirectory(under, "source-");
        try (var files = Files.list(Path.of("samples"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".pdf")).toList()) {
                if (names.length == 0 || List.of(names).contains(file.getFileName().toString())) {
                    Files.copy(file, folder.resolve(file.getFileName()));
                }
            }
        }
        return folder;
    }

    /**
     * Removes every node, as if the graph had been lost, but keeps the job repository; forgets the cached model
     * results too, so that the next run asks the model again (what the tests that call this are about).
     */
    void wipeGraph() {
        try (Session session = driver.session()) {
            session.run("MATCH (n) DETACH DELETE n").consume();
        }
        forgetCachedModelResults();
    }

    long count(String cypher, Map<String, Object> parameters) {
        try (Session session = driver.session()) {
            return session.run(cypher, parameters).single().get(0).asLong();
        }
    }

    /**
     * The graph of the documents under a folder as comparable values: chunk ids, mentions, entities and
     * relationships with their supporting chunks (sets: write order may differ between runs).
     */
    Map<String, Set<String>> snapshot(Path folder) {
        Map<String, Set<String>> snapshot = new TreeMap<>();
        Map<String, Object> parameters = Map.of("prefix", realPath(folder) + "/");
        snapshot.put("chunks", strings("""
                MATCH (d:Document)<-[:PART_OF]-(c:Chunk) WHERE d.path STARTS WITH $prefix
                RETURN c.id + '|' + c.page + '|' + c.position + '|' + size(c.embedding) AS v""", parameters));
        snapshot.put("next", strings("""
                MATCH (d:Document)<-[:PART_OF]-(a:Chunk)-[:NEXT]->(b:Chunk) WHERE d.path STARTS WITH $prefix
                RETURN a.id + '>' + b.id AS v""", parameters));
        snapshot.put("mentions", strings("""
                MATCH (d:Document)<-[:PART_OF]-(c:Chunk)-[:MENTIONS]->(e:Entity) WHERE d.path STARTS WITH $prefix
                RETURN c.id + '>' + e.id + '|' + e.name + '|' + e.type AS v""", parameters));
        // Entities are shared between documents, so only the support these documents give is compared.
        snapshot.put("relationships", strings("""
                MATCH (d:Document)<-[:PART_OF]-(c:Chunk)-[s:STATES]->(a:Entity) WHERE d.path STARTS WITH $prefix
                WITH a, s.fact AS fact, collect(c.id) AS mine
                MATCH (a)-[r:RELATED]->(b:Entity) WHERE a.id + '|' + r.type + '|' + b.id = fact AND r.weight > 0
                RETURN a.id + '-' + r.type + '->' + b.id + '|' + reduce(s = '', id IN mine | s + id + ',') AS v""",
                parameters)
                .stream().map(IngestionTestSupport::sortChunkIds)
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
        snapshot.put("documents", strings("""
                MATCH (d:Document) WHERE d.path STARTS WITH $prefix
                RETURN d.name + '|' + d.status + '|' + d.chunks + '|' + d.entities AS v""", parameters));
        return snapshot;
    }

    static String realPath(Path path) {
        try {
            return path.toRealPath().toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String sortChunkIds(String value) {
        int bar = value.lastIndexOf('|');
        TreeSet<String> ids = new TreeSet<>(List.of(value.substring(bar + 1).split(",")));
        return value.substring(0, bar + 1) + String.join(",", ids);
    }

    Set<String> strings(String cypher, Map<String, Object> parameters) {
        try (Session session = driver.session()) {
            return new TreeSet<>(session.run(cypher, parameters).list(r -> r.get("v").asString()));
        }
    }
}
