package io.diveteacher.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;

import io.diveteacher.graph.DocumentCatalog;
import io.diveteacher.graph.StoredDocument;
import io.diveteacher.inference.OllamaTestServer;

class IngestionJobIT extends IngestionTestSupport {

    @Autowired
    DocumentCatalog catalog;

    @BeforeEach
    void resetOllama() {
        OLLAMA.reset();
    }

    @Test
    void ingestsTheSamplesIntoChunksEntitiesAndRelationships() throws Exception {
        Path folder = copyOfSamples();

        JobExecution execution = launcher.ingest(List.of(folder.toString()));

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        List<StoredDocument> documents = documentsUnder(folder);
        assertThat(documents).hasSize(4).allSatisfy(d -> {
            assertThat(d.status()).isEqualTo("INGESTED");
            assertThat(d.reason()).isNull();
            assertThat(d.pages()).isBetween(2, 3);
            assertThat(d.chunks()).isPositive();
            assertThat(d.entities()).isPositive();
            assertThat(d.embeddedWith()).isEqualTo("nomic-embed-text");
            assertThat(d.extractedWith()).isEqualTo(OllamaTestServer.CHAT_MODEL);
        });
        Map<String, Object> prefix = Map.of("prefix", realPath(folder) + "/");
        long chunks = count("MATCH (d:Document)<-[:PART_OF]-(c:Chunk) WHERE d.path STARTS WITH $prefix RETURN count(c)", prefix);
        // One extraction per chunk; embeddings batched: fewer embed requests than chunks.
        assertThat(OLLAMA.chatCalls()).isEqualTo((int) chunks);
        assertThat(OLLAMA.embedInputs()).isEqualTo((int) chunks);
        assertThat(OLLAMA.embedCalls()).isLessThan((int) chunks);
        assertThat(count("""
                MATCH (d:Document)<-[:PART_OF]-(c:Chunk) WHERE d.path STARTS WITH $prefix
                  AND size(c.embedding) = 256 AND c.page >= 1 AND c.page <= d.pages AND c.pageEnd >= c.page
                  AND c.tokens > 0 AND c.tokens <= 400 RETURN count(c)""", prefix)).isEqualTo(chunks);
        assertThat(count("""
                MATCH (d:Document)<-[:PART_OF]-(c:Chunk)-[:NEXT]->(:Chunk) WHERE d.path STARTS WITH $prefix
                RETURN count(c)""", prefix)).isEqualTo(chunks - 4);
        assertThat(count("MATCH ()-[r:RELATED]->() WHERE r.weight = size(r.chunkIds) AND r.weight > 0 RETURN count(r)",
                Map.of())).isPositive();
        // Entities carry their ontology type as a label too.
        assertThat(count("MATCH (e:Entity) WHERE e.type IN labels(e) RETURN count(e)", Map.of()))
                .isEqualTo(count("MATCH (e:Entity) RETURN count(e)", Map.of()));
    }

    @Test
    void aSecondRunOfTheSameFolderMakesNoModelCallsAndChangesNothing() throws Exception {
        Path folder = copyOfSamples("nitrox-basics.pdf", "buoyancy-and-equipment.pdf");
        assertThat(launcher.ingest(List.of(folder.toString())).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        var before = snapshot(folder);
        long nodesBefore = count("MATCH (n) RETURN count(n)", Map.of());
        OLLAMA.reset();

        JobExecution second = launcher.ingest(List.of(folder.toString()));

        assertThat(second.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(OLLAMA.chatCalls() + OLLAMA.embedCalls()).isZero();
        assertThat(snapshot(folder)).isEqualTo(before);
        assertThat(count("MATCH (n) RETURN count(n)", Map.of())).isEqualTo(nodesBefore);
        assertThat((List<?>) second.getExecutionContext().get(DiscoverTasklet.SKIPPED)).hasSize(2);
    }

    @Test
    void aJobThatFailsMidwayResumesAndEndsWithTheGraphOfACleanRun() throws Exception {
        Path folder = copyOfSamples();
        assertThat(launcher.ingest(List.of(folder.toString())).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        var clean = snapshot(folder);
        int fullRunCalls = OLLAMA.chatCalls();
        wipeGraph();
        OLLAMA.reset();
        OLLAMA.failChatAfter(fullRunCalls / 2);

        JobExecution failed = launcher.ingest(List.of(folder.toString()));

        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        assertThat(documentsUnder(folder)).anySatisfy(d -> {
            assertThat(d.status()).isEqualTo("FAILED");
            assertThat(d.reason()).contains("run the same ingestion again to resume");
        });
        OLLAMA.reset();

        JobExecution resumed = launcher.ingest(List.of(folder.toString()));

        assertThat(resumed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(resumed.getJobInstanceId()).isEqualTo(failed.getJobInstanceId());
        assertThat(snapshot(folder)).isEqualTo(clean);
        // Resumed, not started over: the chunks committed before the failure were not extracted again.
        assertThat(OLLAMA.chatCalls()).isLessThan(fullRunCalls);
    }

    @Test
    void extractionOutputInFencesWithProseIsRepaired() throws Exception {
        Path folder = copyOfSamples("nitrox-basics.pdf");
        OLLAMA.chatOutput(json -> "Here is the graph:\n```json\n" + json + "\n```\nI hope this helps.");

        assertThat(launcher.ingest(List.of(folder.toString())).getStatus()).isEqualTo(BatchStatus.COMPLETED);

        StoredDocument document = documentsUnder(folder).getFirst();
        assertThat(document.status()).isEqualTo("INGESTED");
        assertThat(document.entities()).isPositive();
        assertThat(document.skippedChunks()).isZero();
        assertThat(OLLAMA.chatCalls()).isEqualTo((int) document.chunks());
    }

    @Test
    void truncatedExtractionOutputKeepsItsCompleteEntities() throws Exception {
        Path folder = copyOfSamples("nitrox-basics.pdf");
        // Cut every answer inside its second entity, as a model hitting num_predict would.
        OLLAMA.chatOutput(json -> {
            int second = json.indexOf("},{");
            return second < 0 ? json : json.substring(0, second + 12);
        });

        assertThat(launcher.ingest(List.of(folder.toString())).getStatus()).isEqualTo(BatchStatus.COMPLETED);

        StoredDocument document = documentsUnder(folder).getFirst();
        assertThat(document.status()).isEqualTo("INGESTED");
        assertThat(document.entities()).isPositive();
        assertThat(document.skippedChunks()).isZero();
    }

    @Test
    void unusableExtractionOutputIsRetriedOnceThenTheChunkIsSkippedAndRecorded() throws Exception {
        Path folder = copyOfSamples("nitrox-basics.pdf");
        OLLAMA.chatOutput(json -> "I cannot help with that.");

        assertThat(launcher.ingest(List.of(folder.toString())).getStatus()).isEqualTo(BatchStatus.COMPLETED);

        StoredDocument document = documentsUnder(folder).getFirst();
        assertThat(document.status()).isEqualTo("INGESTED");
        assertThat(document.chunks()).isZero();
        assertThat(document.skippedChunks()).isPositive();
        assertThat(document.reason()).contains("skipped");
        assertThat(OLLAMA.chatCalls()).isEqualTo(2 * (int) document.skippedChunks());
    }

    @Test
    void extractionKeepsExactlyTheServersParallelSlotsBusy() throws Exception {
        Path folder = copyOfSamples();
        OLLAMA.chatDelay(60);

        assertThat(launcher.ingest(List.of(folder.toString())).getStatus()).isEqualTo(BatchStatus.COMPLETED);

        assertThat(OLLAMA.maxChatInFlight()).isEqualTo(4);
    }

    private List<StoredDocument> documentsUnder(Path folder) {
        String prefix = realPath(folder) + "/";
        return catalog.list().stream().filter(d -> d.path().startsWith(prefix)).toList();
    }
}
