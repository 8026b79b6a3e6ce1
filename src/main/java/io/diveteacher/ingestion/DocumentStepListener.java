package io.diveteacher.ingestion;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.SkipListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;

import io.diveteacher.graph.DocumentCatalog;
import io.diveteacher.graph.DocumentOutcome;

/**
 * Keeps a document's status in step with its partition: INGESTING while it runs, then INGESTED, NO_TEXT or
 * FAILED with the reason, and records skipped chunks with their reasons.
 * The final status is derived from the step execution alone ({@link #outcome}), so the resolve step can
 * set it again for a partition whose process died between completing and reporting.
 */
class DocumentStepListener implements StepExecutionListener {

    static final String SKIPS = "document.skips";
    private static final Logger log = LoggerFactory.getLogger(DocumentStepListener.class);
    private static final int MAX_RECORDED_SKIPS = 20;

    static final String EXECUTION_MDC = "execution";

    private final DocumentCatalog catalog;
    private final ChunkExtractionProcessor extraction;
    private final MeterRegistry meters;
    private final String documentId;
    private final String name;
    private StepExecution step;

    DocumentStepListener(DocumentCatalog catalog, ChunkExtractionProcessor extraction, MeterRegistry meters,
            String documentId, String name) {
        this.catalog = catalog;
        this.extraction = extraction;
        this.meters = meters;
        this.documentId = documentId;
        this.name = name;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        this.step = stepExecution;
        MDC.put(EXECUTION_MDC, String.valueOf(stepExecution.getJobExecutionId()));
        catalog.markIngesting(documentId);
        log.info("[{}] ingesting", name);
    }

    /** Records each skipped chunk, with its reason, in the step context. */
    SkipListener<io.diveteacher.document.Chunk, ExtractedChunk> skips() {
        return new SkipListener<>() {
            @Override
            public void onSkipInProcess(io.diveteacher.document.Chunk item, Throwable t) {
                log.warn("[{}] chunk {} (page {}) skipped: {}", name, item.position(), item.page(), t.getMessage());
                synchronized (DocumentStepListener.this) {
                    var context = step.getExecutionContext();
                    ArrayList<String> skips = new ArrayList<>(recordedSkips(step));
                    if (skips.size() < MAX_RECORDED_SKIPS) {
                        skips.add("chunk " + item.position() + " (page " + item.page() + "): " + t.getMessage());
                        context.put(SKIPS, skips);
                    }
                }
            }
        };
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        if (stepExecution.getStatus() != BatchStatus.COMPLETED) {
            extraction.cancel();
        }
        DocumentOutcome outcome = outcome(stepExecution);
        catalog.markFinished(documentId, outcome);
        log.info("[{}] {}{}", name, outcome.status(), outcome.reason() == null ? "" : ": " + outcome.reason());
        meters.counter("diveteacher.ingestion.documents", "status", outcome.status()).increment();
        meters.counter("diveteacher.ingestion.chunks", "outcome", "written").increment(stepExecution.getWriteCount());
        meters.counter("diveteacher.ingestion.chunks", "outcome", "skipped").increment(stepExecution.getProcessSkipCount()
                + stepExecution.getWriteSkipCount() + stepExecution.getReadSkipCount());
        MDC.remove(EXECUTION_MDC);
        return stepExecution.getExitStatus();
    }

    /** The document's outcome as told by its partition's step execution. */
    static DocumentOutcome outcome(StepExecution stepExecution) {
        var context = stepExecution.getExecutionContext();
        String title = context.getString(DocumentChunkReader.TITLE, null);
        String author = context.getString(DocumentChunkReader.AUTHOR, null);
        Integer pages = context.containsKey(DocumentChunkReader.PAGES) ? context.getInt(DocumentChunkReader.PAGES) : null;
        long skipped = stepExecution.getProcessSkipCount();
        if (stepExecution.getStatus() == BatchStatus.FAILED || stepExecution.getStatus() == BatchStatus.STOPPED) {
            Throwable cause = stepExecution.getFailureExceptions().stream().findFirst().orElse(null);
            String why = cause == null ? "stopped" : rootMessage(cause);
            return new DocumentOutcome("FAILED", "interrupted after " + stepExecution.getWriteCount()
                    + " chunks: " + why + "; run the same ingestion again to resume", title, author, pages, skipped);
        }
        if (context.containsKey(DocumentChunkReader.FAILURE)) {
            boolean noText = Boolean.TRUE.equals(context.get(DocumentChunkReader.NO_TEXT));
            return new DocumentOutcome(noText ? "NO_TEXT" : "FAILED", context.getString(DocumentChunkReader.FAILURE),
                    title, author, pages, skipped);
        }
        String reason = null;
        if (skipped > 0) {
            List<String> skips = recordedSkips(stepExecution);
            reason = skipped + " chunk(s) skipped because extraction output stayed unusable"
                    + (skips.isEmpty() ? "" : ": " + String.join("; ", skips.subList(0, Math.min(3, skips.size()))));
        }
        return new DocumentOutcome("INGESTED", reason, title, author, pages, skipped);
    }

    @SuppressWarnings("unchecked")
    private static List<String> recordedSkips(StepExecution stepExecution) {
        Object skips = stepExecution.getExecutionContext().get(SKIPS);
        return skips instanceof List<?> list ? (List<String>) list : List.of();
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root
                && !(root instanceof io.diveteacher.inference.ModelCallException)) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
