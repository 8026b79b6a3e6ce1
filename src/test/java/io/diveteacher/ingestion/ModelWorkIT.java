package io.diveteacher.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.beans.factory.annotation.Autowired;

import io.diveteacher.document.TestPdfs;
import io.diveteacher.graph.DocumentCatalog;
import io.diveteacher.inference.ModelRuntime;
import io.diveteacher.inference.OllamaTestServer;

/**
 * What the model is asked, and how busy it is kept: every slot busy while there is work (with a deliberately slow
 * test Ollama, where the ratio is stable), and no model call for a passage whose result is already known.
 */
class ModelWorkIT extends IngestionTestSupport {

    private static final int SLOTS = 4;
    /**
     * A slow model, so that the ratio is stable: each slot's next request reaches the server some milliseconds after
     * the last answer (the client's turnaround, longer on two loaded cores than on a server), a share of a 400 ms
     * answer that stays small; a real extraction takes seconds.
     */
    private static final long SLOW_CHAT_MILLIS = 400;

    @Autowired
    IngestionReport report;

    @Autowired
    ModelRuntime models;

    @Autowired
    DocumentCatalog catalog;

    @BeforeEach
    void resetOllama() {
        OLLAMA.reset();
    }

    /**
     * A first ingestion, so that the measured one runs warm, as a server does: in a cold JVM on two cores, compiling
     * code delays the next request of a slot by more than the model's own time would in production.
     */
    private void warmUp() throws Exception {
        Path folder = Files.createTempDirectory(DATA, "warm-up-");
        TestPdfs.variedManual(folder.resolve("warm-up.pdf"), 10, 1);
        ingest(folder);
        forgetCachedModelResults();
        OLLAMA.reset();
    }

    @Test
    void aSixtyPageManualAloneKeepsEveryParallelSlotBusyAndNeverMore() throws Exception {
        warmUp();
        Path folder = Files.createTempDirectory(DATA, "one-");
        TestPdfs.variedManual(folder.resolve("sixty-pages.pdf"), 60, 2);
        OLLAMA.chatDelay(SLOW_CHAT_MILLIS);

        IngestionSummary summary = ingest(folder);

        assertEverySlotBusyAndNeverMore("One 60-page manual", summary);
        assertThat(summary.totals().slotEfficiency()).isGreaterThanOrEqualTo(0.95);
        assertThat(summary.totals().modelChunks()).isEqualTo(summary.totals().chunks());
    }

    @Test
    void fourDocumentsOfVeryDifferentSizesKeepEveryParallelSlotBusyAndNeverMore() throws Exception {
        warmUp();
        Path folder = copyOfSamples("nitrox-basics.pdf");
        TestPdfs.variedManual(folder.resolve("a-large.pdf"), 60, 3);
        TestPdfs.variedManual(folder.resolve("b-medium.pdf"), 20, 4);
        TestPdfs.variedManual(folder.resolve("c-small.pdf"), 3, 5);
        OLLAMA.chatDelay(SLOW_CHAT_MILLIS);

        IngestionSummary summary = ingest(folder);

        assertThat(summary.totals().ingested()).isEqualTo(4);
        assertEverySlotBusyAndNeverMore("Four documents (60, 20, 3 pages and a sample)", summary);
    }

    /** The test Ollama's own accounting: at least 95 % of its slot time busy, and never more than its slots. */
    private static void assertEverySlotBusyAndNeverMore(String what, IngestionSummary summary) {
        double measured = OLLAMA.slotEfficiency(SLOTS);
        System.out.printf(Locale.ROOT, "%s: %d chunks, slot efficiency %.3f (test Ollama), %.3f (application), max in "
                + "flight %d%n", what, summary.totals().chunks(), measured, summary.totals().slotEfficiency(),
                OLLAMA.maxChatInFlight());
        assertThat(measured).isGreaterThanOrEqualTo(0.95);
        assertThat(OLLAMA.maxChatInFlight()).isEqualTo(SLOTS);
    }

    @Test
    void aDocumentDeletedAndUploadedAgainCostsNoModelCall() throws Exception {
        Path folder = copyOfSamples("nitrox-basics.pdf", "buoyancy-and-equipment.pdf");
        IngestionSummary first = ingest(folder);
        catalog.list().stream().filter(d -> d.path().startsWith(realPath(folder))).forEach(d -> catalog.delete(d.id()));
        // Uploaded again: the same files at another place, hence new documents.
        Path again = copyOfSamples("nitrox-basics.pdf", "buoyancy-and-equipment.pdf");
        OLLAMA.reset();

        IngestionSummary second = ingest(again);

        assertThat(second.totals().chunks()).isEqualTo(first.totals().chunks()).isPositive();
        assertThat(second.totals().cachedChunks()).isEqualTo(second.totals().chunks());
        assertThat(second.totals().modelChunks()).isZero();
        assertThat(OLLAMA.chatCalls()).isZero();
        assertThat(OLLAMA.embedCalls()).isZero();
        assertThat(second.totals().entities()).isEqualTo(first.totals().entities());
    }

    @Test
    void deletingOnePageInTheMiddleOfASixtyPageManualSendsAtMostFifteenPercentOfItsChunksAgain() throws Exception {
        Path folder = Files.createTempDirectory(DATA, "edit-");
        Path manual = folder.resolve("sixty-pages.pdf");
        TestPdfs.variedManual(manual, 60, 6);
        IngestionSummary first = ingest(folder);
        Path edited = DATA.resolve("edited-" + System.nanoTime() + ".pdf");
        try (PDDocument document = Loader.loadPDF(manual.toFile())) {
            document.removePage(29);
            document.save(edited.toFile());
        }
        Files.move(edited, manual, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        OLLAMA.reset();

        IngestionSummary second = ingest(folder);

        double share = (double) OLLAMA.chatCalls() / first.totals().chunks();
        System.out.printf(Locale.ROOT, "Page 30 of 60 deleted: %d of %d chunks sent to the model again (%.1f %%), "
                + "%d from the cache%n", OLLAMA.chatCalls(), first.totals().chunks(), 100 * share,
                second.totals().cachedChunks());
        assertThat(second.totals().documents()).isEqualTo(1);
        assertThat(second.totals().ingested()).isEqualTo(1);
        assertThat(OLLAMA.chatCalls()).isPositive();
        assertThat(share).isLessThanOrEqualTo(0.15);
        assertThat(second.totals().cachedChunks() + second.totals().modelChunks()).isEqualTo(second.totals().chunks());
    }

    @Test
    void appendingAPageSendsOnlyTheNewChunks() throws Exception {
        Path folder = Files.createTempDirectory(DATA, "append-");
        Path manual = folder.resolve("manual.pdf");
        TestPdfs.variedManual(manual, 20, 7);
        IngestionSummary first = ingest(folder);
        Path longer = DATA.resolve("longer-" + System.nanoTime() + ".pdf");
        TestPdfs.variedManual(longer, 21, 7);
        Files.move(longer, manual, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        OLLAMA.reset();

        IngestionSummary second = ingest(folder);

        long added = second.totals().chunks() - first.totals().chunks();
        System.out.printf(Locale.ROOT, "One page appended to 20: %d chunk(s) more, %d sent to the model%n", added,
                OLLAMA.chatCalls());
        assertThat(added).isPositive();
        // The last chunk of the old version ran up to the end of the document: it may continue on the new page.
        assertThat(OLLAMA.chatCalls()).isLessThanOrEqualTo((int) added + 1);
    }

    @Test
    void noCacheOrAnotherModelDigestSendsEveryChunkToTheModelAgain() throws Exception {
        Path folder = copyOfSamples("nitrox-basics.pdf");
        IngestionSummary first = ingest(folder);
        long chunks = first.totals().chunks();

        OLLAMA.reset();
        Path copy = copyOfSamples("nitrox-basics.pdf");
        JobExecution bypassed = launcher.ingest(List.of(copy.toString()), false, true);
        assertThat(bypassed.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        assertThat(OLLAMA.chatCalls()).as("--no-cache").isEqualTo((int) chunks);

        OLLAMA.reset();
        OLLAMA.digest(OllamaTestServer.CHAT_MODEL, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
        try {
            IngestionSummary repulled = ingest(copyOfSamples("nitrox-basics.pdf"));
            assertThat(OLLAMA.chatCalls()).as("the model's weights changed").isEqualTo((int) chunks);
            assertThat(repulled.totals().cachedChunks()).isZero();
            assertThat(OLLAMA.embedCalls()).as("the embedding model did not change").isZero();
        } finally {
            OLLAMA.reset();
            models.refreshDigests();
        }
    }

    private IngestionSummary ingest(Path folder) throws Exception {
        long calls = models.modelCalls();
        JobExecution execution = launcher.ingest(List.of(folder.toString()));
        assertThat(execution.getStatus()).isEqualTo(BatchStatus.COMPLETED);
        return report.summarize(execution, models.selection(), models.modelCalls() - calls, 0);
    }
}
