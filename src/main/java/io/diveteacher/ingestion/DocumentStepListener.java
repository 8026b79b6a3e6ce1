package io.diveteacher.ingestion;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.ChunkListener;
import org.springframework.batch.core.listener.SkipListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;

import io.diveteacher.graph.DocumentCatalog;
import io.diveteacher.graph.DocumentOutcome;

/**
 * Keeps a document's status in step with its partition: INGESTING while it runs, then INGESTED, NO_TEXT or
 * FAILED with the reason; logs progress after each commit and records skipped chunks with their reasons.
 */
class DocumentStepListener implements StepExecutionListener, ChunkListener<io.diveteacher.document.Chunk, ExtractedChunk>,
        SkipListener<io.diveteacher.document.Chunk, ExtractedChunk> {

    static final String SKIPS = "document.skips";
    private static final Logger log = LoggerFactory.getLogger(DocumentStepListener.class);
    private static final int MAX_RECORDED_SKIPS = 50;

    private final DocumentCatalog catalog;
    private final DocumentChunkReader reader;
    private final String documentId;
    private final String name;
    private StepExecution step;

    DocumentStepListener(DocumentCatalog catalog, DocumentChunkReader reader, String documentId, String name) {
        this.catalog = catalog;
        this.reader = reader;
        this.documentId = documentId;
        this.name = name;
    }

    @Override
    public void beforeStep(StepExecution stepExecution) {
        this.step = stepExecution;
        catalog.markIngesting(documentId);
        log.info("[{}] ingesting", name);
    }

    @Override
    public void afterChunk(Chunk<ExtractedChunk> chunk) {
        var context = step.getExecutionContext();
        log.info("[{}] page {}/{}: {} chunks written, {} skipped", name, reader.currentPage(),
                context.getInt(DocumentChunkReader.PAGES, 0), step.getWriteCount(), step.getProcessSkipCount());
    }

    @Override
    public void onSkipInProcess(io.diveteacher.document.Chunk item, Throwable t) {
        log.warn("[{}] chunk {} (page {}) skipped: {}", name, item.position(), item.page(), t.getMessage());
        synchronized (this) {
            @SuppressWarnings("unchecked")
            List<String> skips = (List<String>) step.getExecutionContext().get(SKIPS);
            ArrayList<String> updated = skips == null ? new ArrayList<>() : new ArrayList<>(skips);
            if (updated.size() < MAX_RECORDED_SKIPS) {
                updated.add("chunk " + item.position() + " (page " + item.page() + "): " + t.getMessage());
                step.getExecutionContext().put(SKIPS, updated);
            }
        }
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        var context = stepExecution.getExecutionContext();
        String title = context.getString(DocumentChunkReader.TITLE, null);
        String author = context.getString(DocumentChunkReader.AUTHOR, null);
        Integer pages = context.containsKey(DocumentChunkReader.PAGES) ? context.getInt(DocumentChunkReader.PAGES) : null;
        long skipped = stepExecution.getProcessSkipCount();
        DocumentOutcome outcome;
        if (stepExecution.getStatus() == BatchStatus.FAILED || stepExecution.getStatus() == BatchStatus.STOPPED) {
            Throwable cause = stepExecution.getFailureExceptions().stream().findFirst().orElse(null);
            String why = cause == null ? "stopped" : rootMessage(cause);
            outcome = new DocumentOutcome("FAILED", "interrupted after " + stepExecution.getWriteCount()
                    + " chunks: " + why + "; run the same ingestion again to resume", title, author, pages, skipped);
        } else if (context.containsKey(DocumentChunkReader.FAILURE)) {
            boolean noText = Boolean.TRUE.equals(context.get(DocumentChunkReader.NO_TEXT));
            outcome = new DocumentOutcome(noText ? "NO_TEXT" : "FAILED", context.getString(DocumentChunkReader.FAILURE),
                    title, author, pages, skipped);
        } else {
            String reason = skipped == 0 ? null : skipped + " chunk(s) skipped: unusable extraction output";
            outcome = new DocumentOutcome("INGESTED", reason, title, author, pages, skipped);
        }
        catalog.markFinished(documentId, outcome);
        log.info("[{}] {}{}", name, outcome.status(), outcome.reason() == null ? "" : ": " + outcome.reason());
        return stepExecution.getExitStatus();
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            if (root instanceof io.diveteacher.inference.ModelCallException) {
                break;
            }
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
