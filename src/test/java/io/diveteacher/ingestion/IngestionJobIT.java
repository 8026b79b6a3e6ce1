package io.diveteacher.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;

import io.diveteacher.graph.DocumentStatus;
import io.diveteacher.document.TestPdfs;
import io.diveteacher.graph.DocumentCatalog;
import io.diveteacher.graph.GraphSchema;
import io.diveteacher.graph.GraphWriter;
import io.diveteacher.graph.EntityResolution;
import io.diveteacher.graph.ChunkRecord;
import io.diveteacher.document.Chunk;
import io.diveteacher.extraction.EntityNames;
import io.diveteacher.extraction.ExtractedGraph;
import io.diveteacher.graph.StoredDocument;
import io.diveteacher.inference.OllamaTestServer;

class IngestionJobIT extends IngestionTestSupport {

    @Autowired
    DocumentCatalog catalog;

    @Autowired
    GraphSchema schema;

    @Autowired
    GraphWriter graphWriter;

    @Autowired
    EntityResolution resolution;

    @Autowired
    IngestionReport report;

    @Autowired
    io.diveteacher.inference.ModelRuntime models;

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
        assertThat(documents).hasSize(6).allSatisfy(d -> {
            assertThat(d.status()).isEqualTo(DocumentStatus.INGESTED);
            assertThat(d.reason()).isNull();
            assertThat(d.pages()).isBetween(2, 3);
            assertThat(d.chunks()).isPositive();
            assertThat(d.entities()).isPositive();
            assertThat(d.embeddedWith()).isEqualTo("bge-m3");
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
                RETURN count(c)""", prefix)).isEqualTo(chunks - 6);
        // Each chunk knows its language; the French manuals' chunks are in the French fulltext index.
        assertThat(count("""
                MATCH (d:Document)<-[:PART_OF]-(c:Chunk) WHERE d.path STARTS WITH $prefix
                  AND ((d.name IN ['les-paliers-de-decompression.pdf', 'plongee-au-nitrox.pdf']
                        AND c.language = 'fr' AND c:FrenchChunk AND NOT c:EnglishChunk)
                    OR (NOT d.name IN ['les-paliers-de-decompression.pdf', 'plongee-au-nitrox.pdf']
                        AND c.language = 'en' AND c:EnglishChunk AND NOT c:FrenchChunk))
                RETURN count(c)""", prefix)).isEqualTo(chunks);
        // Each relationship's weight is the number of chunks that state it, and every statement has its relationship.
        assertThat(count("""
                MATCH (a:Entity)-[r:RELATED]->(b:Entity)
                WHERE r.weight > 0 AND r.weight = COUNT { ()-[:STATES {fact: a.id + '|' + r.type + '|' + b.id}]->() }
                RETURN count(r)""", Map.of())).isPositive()
                .isEqualTo(count("MATCH ()-[r:RELATED]->() RETURN count(r)", Map.of()));
        assertThat(count("""
                MATCH (:Chunk)-[s:STATES]->(a:Entity) WITH s, a, split(s.fact, '|') AS fact
                WHERE fact[0] <> a.id OR NOT EXISTS { (a)-[:RELATED {type: fact[1]}]->(:Entity {id: fact[2]}) }
                RETURN count(s)""", Map.of())).isZero();
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
        assertThat(Discovery.of(second.getExecutionContext()).skipped()).hasSize(2);
    }

    @Autowired
    IngestionProperties ingestion;

    @Test
    void aJobThatFailsMidwayResumesInsideTheDocumentAndEndsWithTheGraphOfACleanRun() throws Exception {
        Path folder = copyOfSamples("nitrox-basics.pdf");
        TestPdfs.manyPages(folder.resolve("long-manual.pdf"), 4 * ingestion.commitInterval());
        assertThat(launcher.ingest(List.of(folder.toString())).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        var clean = snapshot(folder);
        int fullRunCalls = OLLAMA.chatCalls();
        Map<String, Object> longManual = Map.of("path", realPath(folder.resolve("long-manual.pdf")));
        String chunksOfLongManual = "MATCH (d:Document {path: $path})<-[:PART_OF]-(c:Chunk) RETURN count(c)";
        long longManualChunks = count(chunksOfLongManual, longManual);
        assertThat(longManualChunks).as("commits before and after the failure").isGreaterThan(3 * ingestion.commitInterval());
        wipeGraph();
        OLLAMA.reset();
        OLLAMA.failChatAfter(fullRunCalls / 2);

        JobExecution failed = launcher.ingest(List.of(folder.toString()));

        assertThat(failed.getStatus()).isEqualTo(BatchStatus.FAILED);
        int callsWhenFailed = OLLAMA.chatCalls();
        Thread.sleep(500);
        assertThat(OLLAMA.chatCalls()).as("no extraction goes on after the job failed").isEqualTo(callsWhenFailed);
        long committedBeforeFailure = count(chunksOfLongManual, longManual);
        assertThat(committedBeforeFailure).isPositive().isLessThan(longManualChunks);
        assertThat(documentsUnder(folder)).anySatisfy(d -> {
            assertThat(d.status()).isEqualTo(DocumentStatus.FAILED);
            assertThat(d.reason()).contains("HTTP 500").contains("run the same ingestion again to resume");
        });
        OLLAMA.reset();

        JobExecution resumed = launcher.ingest(List.of(folder.toString()));

        assertThat(resumed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(resumed.getJobInstanceId()).isEqualTo(failed.getJobInstanceId());
        assertThat(snapshot(folder)).isEqualTo(clean);
        // Resumed after the last commit: the chunks committed before the failure were not extracted again.
        assertThat(OLLAMA.chatCalls()).isLessThanOrEqualTo(fullRunCalls - (int) committedBeforeFailure);
    }

    @Test
    void aFileChangedBeforeTheResumeIsReportedAndTheNextRunIngestsTheNewVersion() throws Exception {
        Path folder = copyOfSamples("nitrox-basics.pdf");
        Path manual = folder.resolve("long-manual.pdf");
        TestPdfs.manyPages(manual, 20);
        OLLAMA.failChatAfter(12);
        assertThat(launcher.ingest(List.of(folder.toString())).getStatus()).isEqualTo(BatchStatus.FAILED);
        OLLAMA.reset();
        Files.copy(Path.of("samples/buoyancy-and-equipment.pdf"), manual, StandardCopyOption.REPLACE_EXISTING);

        JobExecution resumed = launcher.ingest(List.of(folder.toString()));

        assertThat(resumed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        StoredDocument changed = catalog.find(DiscoverTasklet.documentId(manual.toRealPath())).orElseThrow();
        assertThat(changed.status()).isEqualTo(DocumentStatus.FAILED);
        assertThat(changed.reason()).startsWith("changed during ingestion");

        assertThat(launcher.ingest(List.of(folder.toString())).getStatus()).isEqualTo(BatchStatus.COMPLETED);

        StoredDocument reingested = catalog.find(changed.id()).orElseThrow();
        assertThat(reingested.status()).isEqualTo(DocumentStatus.INGESTED);
        assertThat(reingested.title()).isEqualTo("Buoyancy and Equipment");
        assertThat(count("MATCH (:Document {id: $id})<-[:PART_OF]-(c:Chunk) WHERE c.text CONTAINS 'Page 1 paragraph' "
                + "RETURN count(c)", Map.of("id", changed.id()))).as("no chunk of the old version is left").isZero();
    }

    @Test
    void extractionOutputInFencesWithProseIsRepaired() throws Exception {
        Path folder = copyOfSamples("nitrox-basics.pdf");
        OLLAMA.chatOutput(json -> "Here is the graph:\n```json\n" + json + "\n```\nI hope this helps.");

        assertThat(launcher.ingest(List.of(folder.toString())).getStatus()).isEqualTo(BatchStatus.COMPLETED);

        StoredDocument document = documentsUnder(folder).getFirst();
        assertThat(document.status()).isEqualTo(DocumentStatus.INGESTED);
        assertThat(document.entities()).isPositive();
        assertThat(document.skippedChunks()).isZero();
        assertThat(OLLAMA.chatCalls()).isEqualTo((int) document.chunks());
    }

    @Test
    void anAnswerCutOffAtTheOutputLimitIsAskedForAgainWithALargerLimitAndTheGraphIsThatOfACleanRun() throws Exception {
        Path folder = copyOfSamples("nitrox-basics.pdf", "buoyancy-and-equipment.pdf");
        assertThat(launcher.ingest(List.of(folder.toString())).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        var clean = snapshot(folder);
        int cleanCalls = OLLAMA.chatCalls();
        long dense = chunksMentioning(folder, "oxygen");
        assertThat(dense).isPositive().isLessThan(cleanCalls);
        wipeGraph();
        OLLAMA.reset();
        // The answers for chunks about oxygen need 3,000 tokens: more than num_predict (2,048), less than twice it.
        OLLAMA.answerTokens(text -> text.contains("oxygen") ? 3000 : Math.max(1, text.length() / 8));

        assertThat(launcher.ingest(List.of(folder.toString())).getStatus()).isEqualTo(BatchStatus.COMPLETED);

        assertThat(snapshot(folder)).isEqualTo(clean);
        assertThat(documentsUnder(folder)).allSatisfy(d -> {
            assertThat(d.status()).isEqualTo(DocumentStatus.INGESTED);
            assertThat(d.partialChunks()).isZero();
        });
        assertThat(OLLAMA.chatCalls()).as("one more call, with num_predict 4096, per dense chunk")
                .isEqualTo(cleanCalls + (int) dense);
    }

    @Test
    void anAnswerStillCutOffWithTheLargerLimitIsExtractedHalfByHalf() throws Exception {
        Path folder = copyOfSamples("nitrox-basics.pdf");
        assertThat(launcher.ingest(List.of(folder.toString())).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        int cleanCalls = OLLAMA.chatCalls();
        long dense = chunksMentioning(folder, "oxygen");
        java.util.Set<String> denseChunks = java.util.Set.copyOf(textsOfChunksMentioning(folder, "oxygen"));
        wipeGraph();
        OLLAMA.reset();
        // A whole dense chunk's answer needs more than 4,096 tokens; half of it, or any other text, far fewer.
        OLLAMA.answerTokens(text -> denseChunks.contains(text) ? 5000 : Math.max(1, text.length() / 8));

        assertThat(launcher.ingest(List.of(folder.toString())).getStatus()).isEqualTo(BatchStatus.COMPLETED);

        StoredDocument document = documentsUnder(folder).getFirst();
        assertThat(document.status()).isEqualTo(DocumentStatus.INGESTED);
        assertThat(document.partialChunks()).isZero();
        assertThat(document.entities()).isPositive();
        assertThat(OLLAMA.chatCalls()).as("per dense chunk: the first answer, the longer one, and one per half")
                .isEqualTo(cleanCalls + 3 * (int) dense);
    }

    @Test
    void whatStaysCutOffIsKeptAsPartialShownInTheSummaryAndRepairedByTheNextRun() throws Exception {
        Path folder = copyOfSamples("nitrox-basics.pdf", "buoyancy-and-equipment.pdf");
        assertThat(launcher.ingest(List.of(folder.toString())).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        var clean = snapshot(folder);
        long dense = chunksMentioning(folder, "oxygen");
        wipeGraph();
        OLLAMA.reset();
        OLLAMA.answerTokens(text -> text.contains("oxygen") ? 20 * text.length() : Math.max(1, text.length() / 8));

        JobExecution cutOff = launcher.ingest(List.of(folder.toString()));

        assertThat(cutOff.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        StoredDocument nitrox = document(folder, "nitrox-basics.pdf");
        assertThat(nitrox.status()).isEqualTo(DocumentStatus.PARTIAL);
        assertThat(nitrox.partialChunks()).isEqualTo(dense);
        assertThat(nitrox.incompleteChunks()).hasSize((int) dense);
        assertThat(nitrox.reason()).contains(dense + " chunk(s) only partly extracted: chunk ")
                .contains("cut off at the output limit (num_predict 4096), even for half of the chunk")
                .contains("The next ingestion of this document extracts them again");
        assertThat(document(folder, "buoyancy-and-equipment.pdf").status()).isEqualTo(DocumentStatus.INGESTED);
        IngestionSummary summary = report.summarize(cutOff, models.selection(), 0, 0);
        assertThat(summary.totals().partial()).isEqualTo(1);
        assertThat(summary.totals().partialChunks()).isEqualTo(dense);
        assertThat(summary.documents()).filteredOn(d -> d.file().equals("nitrox-basics.pdf"))
                .singleElement().satisfies(d -> assertThat(d.partialChunks()).isEqualTo(dense));
        assertThat(snapshot(folder)).isNotEqualTo(clean);
        OLLAMA.reset();

        JobExecution repaired = launcher.ingest(List.of(folder.toString()));

        assertThat(repaired.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(OLLAMA.chatCalls()).as("only the partial chunks are extracted again").isEqualTo((int) dense);
        assertThat(snapshot(folder)).isEqualTo(clean);
        assertThat(document(folder, "nitrox-basics.pdf")).satisfies(d -> {
            assertThat(d.status()).isEqualTo(DocumentStatus.INGESTED);
            assertThat(d.reason()).isNull();
            assertThat(d.incompleteChunks()).isEmpty();
        });
        OLLAMA.reset();
        assertThat(launcher.ingest(List.of(folder.toString())).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(OLLAMA.chatCalls()).as("then the document is up to date").isZero();
    }

    @Test
    void underRandomOllamaFaultsRunningTheSameIngestionAgainEndsWithTheGraphOfACleanRun() throws Exception {
        Path folder = copyOfSamples();
        TestPdfs.manyPages(folder.resolve("long-manual.pdf"), 40);
        assertThat(launcher.ingest(List.of(folder.toString())).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        var clean = snapshot(folder);
        int cleanCalls = OLLAMA.chatCalls() + OLLAMA.embedCalls();
        wipeGraph();
        OLLAMA.reset();
        // 20 % HTTP 500, 5 % connections closed without an answer, 10 % answers cut off mid-JSON ("stop").
        OLLAMA.faults(20261201L, 0.20, 0.05, 0.10);

        List<String> runs = new java.util.ArrayList<>();
        JobExecution execution;
        boolean whole;
        do {
            execution = launcher.ingest(List.of(folder.toString()));
            List<StoredDocument> documents = documentsUnder(folder);
            whole = execution.getStatus() == BatchStatus.COMPLETED
                    && documents.stream().allMatch(d -> d.status() == DocumentStatus.INGESTED);
            runs.add(execution.getStatus() + " (" + documents.stream().filter(d -> d.status() == DocumentStatus.PARTIAL)
                    .mapToLong(d -> d.incompleteChunks().size()).sum() + " incomplete chunks)");
        } while (!whole && runs.size() < 30);

        System.out.printf("Fault run: %d faults injected over %d model calls (clean run: %d); runs: %s%n",
                OLLAMA.faultsInjected(), OLLAMA.chatCalls() + OLLAMA.embedCalls() + OLLAMA.faultsInjected(), cleanCalls,
                runs);
        assertThat(OLLAMA.faultsInjected()).isGreaterThan(cleanCalls / 5);
        assertThat(whole).as("runs: %s", runs).isTrue();
        assertThat(snapshot(folder)).isEqualTo(clean);
    }

    @Test
    void truncatedExtractionOutputIsNeverTakenForCompleteAndIsKeptAsPartial() throws Exception {
        Path folder = copyOfSamples("nitrox-basics.pdf");
        // Cut every answer inside its second entity, without saying so (done_reason "stop").
        OLLAMA.chatOutput(json -> {
            int second = json.indexOf("},{");
            return second < 0 ? json : json.substring(0, second + 12);
        });

        assertThat(launcher.ingest(List.of(folder.toString())).getStatus()).isEqualTo(BatchStatus.COMPLETED);

        StoredDocument document = documentsUnder(folder).getFirst();
        assertThat(document.status()).isEqualTo(DocumentStatus.PARTIAL);
        assertThat(document.entities()).isPositive();
        assertThat(document.skippedChunks()).isZero();
        assertThat(document.partialChunks()).isEqualTo(document.chunks());
        assertThat(document.reason()).contains("the answer was incomplete (the answer ends mid-way");
    }

    @Test
    void unusableExtractionOutputIsRetriedOnceThenTheChunkIsSkippedRecordedAndExtractedByTheNextRun() throws Exception {
        Path folder = copyOfSamples("nitrox-basics.pdf", "buoyancy-and-equipment.pdf");
        assertThat(launcher.ingest(List.of(folder.toString())).getStatus()).isEqualTo(BatchStatus.COMPLETED);
        var clean = snapshot(folder);
        long dense = chunksMentioning(folder, "oxygen");
        wipeGraph();
        OLLAMA.reset();
        OLLAMA.chatOutput(text -> text.contains("oxygen"), json -> "I cannot help with that.");

        assertThat(launcher.ingest(List.of(folder.toString())).getStatus()).isEqualTo(BatchStatus.COMPLETED);

        StoredDocument document = document(folder, "nitrox-basics.pdf");
        assertThat(document.status()).isEqualTo(DocumentStatus.PARTIAL);
        assertThat(document.skippedChunks()).isEqualTo(dense);
        assertThat(document.reason()).contains("skipped").contains("): extraction failed twice");
        assertThat(OLLAMA.chatCalls()).isEqualTo(2 * (int) dense + (int) (count("MATCH (d:Document)<-[:PART_OF]-(c:Chunk) "
                + "WHERE d.path STARTS WITH $prefix RETURN count(c)", Map.of("prefix", realPath(folder) + "/"))));
        OLLAMA.reset();

        assertThat(launcher.ingest(List.of(folder.toString())).getStatus()).isEqualTo(BatchStatus.COMPLETED);

        assertThat(OLLAMA.chatCalls()).as("only the skipped chunks are extracted").isEqualTo((int) dense);
        assertThat(snapshot(folder)).isEqualTo(clean);
    }

    @Test
    void everyChunkSkippedLeavesAPartialDocumentWithoutChunks() throws Exception {
        Path folder = copyOfSamples("nitrox-basics.pdf");
        OLLAMA.chatOutput(json -> "I cannot help with that.");

        assertThat(launcher.ingest(List.of(folder.toString())).getStatus()).isEqualTo(BatchStatus.COMPLETED);

        StoredDocument document = documentsUnder(folder).getFirst();
        assertThat(document.status()).isEqualTo(DocumentStatus.PARTIAL);
        assertThat(document.chunks()).isZero();
        assertThat(document.skippedChunks()).isPositive();
        assertThat(document.reason()).contains("skipped").contains("(page 1): extraction failed twice");
        assertThat(OLLAMA.chatCalls()).isEqualTo(2 * (int) document.skippedChunks());
    }

    @Test
    void extractionKeepsExactlyTheServersParallelSlotsBusy() throws Exception {
        Path folder = copyOfSamples();
        OLLAMA.chatDelay(60);

        assertThat(launcher.ingest(List.of(folder.toString())).getStatus()).isEqualTo(BatchStatus.COMPLETED);

        assertThat(OLLAMA.maxChatInFlight()).isEqualTo(4);
    }

    @Test
    void unreadableFilesAreReportedWithTheirReasonAndTheOthersAreIngested() throws Exception {
        Path folder = copyOfSamples("nitrox-basics.pdf");
        byte[] valid = Files.readAllBytes(folder.resolve("nitrox-basics.pdf"));
        TestPdfs.encrypted(folder.resolve("encrypted.pdf"));
        TestPdfs.imageOnly(folder.resolve("scanned.pdf"));
        Files.write(folder.resolve("empty.pdf"), new byte[0]);
        Files.write(folder.resolve("truncated.pdf"), Arrays.copyOf(valid, valid.length / 2));
        Files.write(folder.resolve("picture.pdf"), new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0});
        Files.writeString(folder.resolve("corrupt.pdf"), "%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\n"
                + "garbage garbage garbage\ntrailer << /Root 1 0 R >>\n%%EOF\n");

        JobExecution execution = launcher.ingest(List.of(folder.toString()));

        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        Map<String, StoredDocument> byName = documentsUnder(folder).stream()
                .collect(Collectors.toMap(StoredDocument::name, d -> d));
        assertThat(byName.get("nitrox-basics.pdf").status()).isEqualTo(DocumentStatus.INGESTED);
        assertThat(byName.get("encrypted.pdf")).satisfies(d -> {
            assertThat(d.status()).isEqualTo(DocumentStatus.FAILED);
            assertThat(d.reason()).isEqualTo("encrypted: a password is required to open it");
        });
        assertThat(byName.get("scanned.pdf")).satisfies(d -> {
            assertThat(d.status()).isEqualTo(DocumentStatus.NO_TEXT);
            assertThat(d.reason()).startsWith("no text layer: the 2 page(s) hold only images");
        });
        assertThat(byName.get("empty.pdf").reason()).isEqualTo("empty file: it has 0 bytes");
        assertThat(byName.get("truncated.pdf").reason()).startsWith("truncated: the file ends before the PDF end marker");
        assertThat(byName.get("picture.pdf").reason()).isEqualTo("not a PDF: the file starts with PNG data");
        assertThat(byName.get("corrupt.pdf").reason()).startsWith("corrupt: ");
        assertThat(byName.values()).filteredOn(d -> !d.name().equals("nitrox-basics.pdf"))
                .allSatisfy(d -> assertThat(d.status()).isIn(DocumentStatus.FAILED, DocumentStatus.NO_TEXT))
                .allSatisfy(d -> assertThat(d.chunks()).isZero());
    }

    @Test
    void aVectorIndexOfAnotherDimensionStopsStartUpWithTheWaysOut() {
        assertThatThrownBy(() -> schema.ensure(768, "another-embedding-model"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("holds 256-dimensional embeddings")
                .hasMessageContaining("another-embedding-model, produces 768 dimensions")
                .hasMessageContaining("set OLLAMA_EMBED_MODEL")
                .hasMessageContaining("DROP INDEX chunk_embedding")
                .hasMessageContaining("java -jar target/diveteacher.jar reembed");
    }

    @Test
    void entitiesNamedAlikeWithDifferentTypesAreMergedIntoTheMostMentionedOne() throws Exception {
        catalog.register("merge-doc", "/merge/doc.pdf", "doc.pdf", "c0ffee", 1, "m", "m");
        var oxygenGas = new ExtractedGraph.Entity(EntityNames.id("Oxygen", "GasMix"), "Oxygen", "GasMix", "A gas.");
        var oxygenConcept = new ExtractedGraph.Entity(EntityNames.id("oxygen", "Concept"), "oxygen", "Concept", "An idea.");
        var toxicity = new ExtractedGraph.Entity(EntityNames.id("Oxygen toxicity", "Hazard"), "Oxygen toxicity", "Hazard", "Harm.");
        float[] vector = OllamaTestServer.vector("oxygen");
        graphWriter.write(List.of(
                new ChunkRecord("merge-doc", new Chunk("merge-c0", "Oxygen gas.", 1, 1, 0, 3, List.of(), "en"), vector, "m",
                        new ExtractedGraph(List.of(oxygenGas), List.of()), "m"),
                new ChunkRecord("merge-doc", new Chunk("merge-c1", "Pure oxygen again.", 1, 1, 1, 4, List.of(), "en"), vector, "m",
                        new ExtractedGraph(List.of(oxygenGas), List.of()), "m"),
                new ChunkRecord("merge-doc", new Chunk("merge-c2", "Oxygen toxicity.", 1, 1, 2, 3, List.of(), "en"), vector, "m",
                        new ExtractedGraph(List.of(oxygenConcept, toxicity), List.of(new ExtractedGraph.Relationship(
                                oxygenConcept.id(), toxicity.id(), "CAUSES", "Too much oxygen harms."))), "m")));

        var result = resolution.resolve();

        assertThat(result.merged()).isPositive();
        assertThat(count("MATCH (e:Entity {key: 'oxygen'}) RETURN count(e)", Map.of())).isEqualTo(1);
        assertThat(count("""
                MATCH (c:Chunk)-[:MENTIONS]->(e:Entity:GasMix {id: $id}) WHERE c.id STARTS WITH 'merge-'
                RETURN count(c)""", Map.of("id", oxygenGas.id()))).isEqualTo(3);
        // The fact as a parameter and its chunks by a COLLECT subquery: a pattern comprehension with the key built in
        // the pattern met Neo4j's "Unexpected slot configuration" once in a full run (a planner bug, in this test's
        // query only).
        assertThat(count("""
                MATCH (:Entity {id: $from})-[r:RELATED {type: 'CAUSES'}]->(:Entity {id: $to})
                WHERE r.weight = 1 AND COLLECT { MATCH (c:Chunk)-[s:STATES]->() WHERE s.fact = $fact RETURN c.id }
                    = ['merge-c2']
                RETURN count(r)""",
                Map.of("from", oxygenGas.id(), "to", toxicity.id(),
                        "fact", oxygenGas.id() + "|CAUSES|" + toxicity.id()))).isEqualTo(1);
        catalog.delete("merge-doc");
        assertThat(count("MATCH (e:Entity) WHERE e.id IN $ids RETURN count(e)",
                Map.of("ids", List.of(oxygenGas.id(), toxicity.id())))).isZero();
    }

    @Autowired
    EntityMatcher matcher;

    @Test
    void twoSpellingsOfOneThingBecomeOneEntityOneThingInTwoLanguagesIsLinkedAndDifferentThingsStayApart() {
        catalog.register("match-doc", "/match/doc.pdf", "doc.pdf", "beef", 1, "m", "m");
        var sickness = entity("Decompression sickness Quixote", "Hazard");
        var typo = entity("Decompresion sickness Quixote", "Hazard");
        var stop = entity("Safety stop Quixote", "Procedure");
        var palier = entity("Palier de sécurité Quixote", "Procedure");
        var ean32 = entity("EAN32 Quixote", "GasMix");
        var ean36 = entity("EAN36 Quixote", "GasMix");
        var stage = entity("First stage Quixote", "Equipment");
        var secondStage = entity("Second stage Quixote", "Equipment");
        // What a multilingual model does: a misspelling, a translation and a sibling all embed close to the original.
        // (Names of their own: the samples other tests ingested into this graph have real diving entities.)
        OLLAMA.embedAlike("Decompresion sickness Quixote", "Decompression sickness Quixote");
        OLLAMA.embedAlike("Palier de sécurité Quixote", "Safety stop Quixote");
        OLLAMA.embedAlike("EAN36 Quixote", "EAN32 Quixote");
        OLLAMA.embedAlike("Second stage Quixote", "First stage Quixote");
        float[] vector = OllamaTestServer.vector("diving");
        List<ChunkRecord> records = new ArrayList<>();
        List<ExtractedGraph.Entity> all = List.of(sickness, sickness, typo, stop, palier, ean32, ean36, stage, secondStage);
        for (int i = 0; i < all.size(); i++) {
            records.add(new ChunkRecord("match-doc", new Chunk("match-c" + i, "Passage " + i + ".", 1, 1, i, 3, List.of(), "en"),
                    vector, "m", new ExtractedGraph(List.of(all.get(i)), List.of()), "m"));
        }
        graphWriter.write(records);
        resolution.resolve();

        EntityMatcher.Outcome outcome = matcher.match();

        assertThat(outcome.merged()).isGreaterThanOrEqualTo(1);
        assertThat(count("MATCH (e:Entity) WHERE e.id IN $ids RETURN count(e)",
                Map.of("ids", List.of(sickness.id(), typo.id())))).isEqualTo(1);
        assertThat(strings("MATCH (e:Entity {id: $a}) UNWIND e.aliases AS v RETURN v", Map.<String, Object>of("a", sickness.id())))
                .contains("Decompression sickness Quixote", "Decompresion sickness Quixote");
        assertThat(count("MATCH (c:Chunk)-[:MENTIONS]->(:Entity {id: $id}) WHERE c.id STARTS WITH 'match-' RETURN count(c)",
                Map.of("id", sickness.id()))).isEqualTo(3);
        assertThat(count("MATCH (:Entity {id: $a})-[s:SAME_AS]-(:Entity {id: $b}) WHERE s.score >= 0.9 RETURN count(s)",
                Map.of("a", stop.id(), "b", palier.id()))).isEqualTo(1);
        assertThat(strings("MATCH (e:Entity) WHERE e.id IN $ids RETURN e.name AS v",
                Map.of("ids", List.of(stop.id(), palier.id(), ean32.id(), ean36.id(), stage.id(), secondStage.id()))))
                .containsExactlyInAnyOrder("Safety stop Quixote", "Palier de sécurité Quixote", "EAN32 Quixote",
                        "EAN36 Quixote", "First stage Quixote", "Second stage Quixote");
        assertThat(count("MATCH (:Entity {id: $a})-[s:SAME_AS]-(:Entity {id: $b}) RETURN count(s)",
                Map.of("a", ean32.id(), "b", ean36.id()))).as("EAN32 and EAN36: other numbers").isZero();
        // Close embeddings, but "First stage" and "Second stage" are not spelled alike: linked, not merged.
        assertThat(matcher.sameSpelling("First stage", "Second stage")).isFalse();
        assertThat(matcher.sameSpelling("Décompression", "decompression")).isTrue();
        assertThat(matcher.match()).as("a second pass finds nothing new").isEqualTo(new EntityMatcher.Outcome(0, 0));
        catalog.delete("match-doc");
    }

    @Autowired
    io.diveteacher.graph.GraphRetrieval retrieval;

    @Test
    void retrievalDoesNotWalkTheFactsOfAHubEntityButStillThoseOfTheEntitiesAroundIt() {
        catalog.register("hub-doc", "/hub/doc.pdf", "doc.pdf", "feed", 1, "m", "m");
        var hub = entity("Hub Quixote", "Concept");
        var a = entity("Spoke A Quixote", "Concept");
        var b = entity("Spoke B Quixote", "Concept");
        float[] vector = OllamaTestServer.vector("hub");
        List<ChunkRecord> records = new ArrayList<>();
        // 501 relationships make the hub: one more than retrieval walks.
        for (int i = 0; i < 501; i++) {
            var spoke = i == 0 ? a : entity("Spoke " + i + " Quixote", "Concept");
            records.add(new ChunkRecord("hub-doc", new Chunk("hub-c" + i, "Passage " + i + ".", 1, 1, i, 3, List.of(), "en"),
                    vector, "m", new ExtractedGraph(List.of(hub, spoke), List.of(new ExtractedGraph.Relationship(
                            hub.id(), spoke.id(), "RELATED_TO", "Hub and spoke."))), "m"));
        }
        records.add(new ChunkRecord("hub-doc", new Chunk("hub-c501", "Passage 501.", 1, 1, 501, 3, List.of(), "en"), vector,
                "m", new ExtractedGraph(List.of(a, b), List.of(new ExtractedGraph.Relationship(a.id(), b.id(),
                        "RELATED_TO", "Spokes together."))), "m"));
        graphWriter.write(records);

        var facts = retrieval.facts(List.of(hub.id(), a.id()), 100);

        assertThat(facts).extracting(f -> f.source() + " > " + f.target())
                .containsExactlyInAnyOrder("Hub Quixote > Spoke A Quixote", "Spoke A Quixote > Spoke B Quixote");
        assertThat(retrieval.facts(List.of(b.id()), 100)).hasSize(1);
        catalog.delete("hub-doc");
    }

    private static ExtractedGraph.Entity entity(String name, String type) {
        return new ExtractedGraph.Entity(EntityNames.id(name, type), name, type, "About " + name + ".");
    }

    private StoredDocument document(Path folder, String name) {
        return documentsUnder(folder).stream().filter(d -> d.name().equals(name)).findFirst().orElseThrow();
    }

    private long chunksMentioning(Path folder, String word) {
        return count("MATCH (d:Document)<-[:PART_OF]-(c:Chunk) WHERE d.path STARTS WITH $prefix AND c.text CONTAINS $word "
                + "RETURN count(c)", Map.of("prefix", realPath(folder) + "/", "word", word));
    }

    private List<String> textsOfChunksMentioning(Path folder, String word) {
        try (var session = driver.session()) {
            return session.run("MATCH (d:Document)<-[:PART_OF]-(c:Chunk) WHERE d.path STARTS WITH $prefix "
                    + "AND c.text CONTAINS $word RETURN c.text AS text", Map.of("prefix", realPath(folder) + "/", "word", word))
                    .list(r -> r.get("text").asString());
        }
    }

    private List<StoredDocument> documentsUnder(Path folder) {
        String prefix = realPath(folder) + "/";
        return catalog.list().stream().filter(d -> d.path().startsWith(prefix)).toList();
    }
}
