package io.diveteacher.ingestion;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.ItemWriteListener;
import org.springframework.batch.core.listener.SkipListener;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.Chunk;

import io.diveteacher.graph.DocumentCatalog;
import io.diveteacher.graph.DocumentOutcome;
import io.diveteacher.graph.DocumentStatus;

/**
 * Keeps a document's status in step with its partition: INGESTING while it runs, then INGESTED, PARTIAL, NO_TEXT or
 * FAILED with the reason. It records, in the step context, each chunk that is not complete in the graph: skipped
 * (extraction output stayed unusable) or partial (written with what could be parsed of a cut-off answer), by
 * position, and forgets one again when a later attempt writes it whole. A document with such chunks is PARTIAL, and
 * the next ingestion extracts those chunks again (see {@code DiscoverTasklet}).
 * The final status is derived from the step execution alone ({@link #outcome}), so the resolve step can
 * set it again for a partition whose process died between completing and reporting.
 */
class DocumentStepListener implements StepExecutionListener, ItemWriteListener<ExtractedChunk> {

    /** Skipped chunks: position (as text) to what happened, e.g. "chunk 4 (page 2): extraction failed twice: ...". */
    static final String SKIPPED_CHUNKS = "document.skippedChunks";
    /** Partial chunks, the same way. */
    static final String PARTIAL_CHUNKS = "document.partialChunks";
    /** Chunks written whose extraction came from the cache (no model call). */
    static final String CACHED_CHUNKS = "document.cachedChunks";
    private static final Logger log = LoggerFactory.getLogger(DocumentStepListener.class);
    private static final int REASONS_SHOWN = 3;

    static final String EXECUTION_MDC = "execution";

    private final DocumentCatalog catalog;
    private final ChunkExtractionProcessor extraction;
    private final ChunkEmbeddings embeddings;
    private final MeterRegistry meters;
    private final String documentId;
    private final String name;
    private StepExecution step;

    DocumentStepListener(DocumentCatalog catalog, ChunkExtractionProcessor extraction, ChunkEmbeddings embeddings,
            MeterRegistry meters, String documentId, String name) {
        this.catalog = catalog;
        this.extraction = extraction;
        this.embeddings = embeddings;
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
                meters.counter("diveteacher.ingestion.chunks", "outcome", "skipped").increment();
                record(item, SKIPPED_CHUNKS, t.getMessage());
            }
        };
    }

    /** Records the chunks written with a partial extraction, and forgets earlier records of chunks now whole. */
    @Override
    public void afterWrite(Chunk<? extends ExtractedChunk> items) {
        long cached = items.getItems().stream().filter(ExtractedChunk::cached).count();
        if (cached > 0) {
            step.getExecutionContext().putLong(CACHED_CHUNKS, step.getExecutionContext().getLong(CACHED_CHUNKS, 0) + cached);
            meters.counter("diveteacher.ingestion.chunks", "outcome", "cached").increment(cached);
        }
        for (ExtractedChunk item : items) {
            String incomplete = item.extracted().incomplete();
            if (incomplete != null) {
                log.warn("[{}] chunk {} (page {}) written in part: {}", name, item.chunk().position(), item.chunk().page(),
                        incomplete);
                meters.counter("diveteacher.ingestion.chunks", "outcome", "partial").increment();
                record(item.chunk(), PARTIAL_CHUNKS, incomplete);
            } else {
                forget(item.chunk());
            }
        }
    }

    private synchronized void record(io.diveteacher.document.Chunk chunk, String key, String reason) {
        HashMap<String, String> recorded = new HashMap<>(recorded(step, key));
        recorded.put(String.valueOf(chunk.position()), "chunk " + chunk.position() + " (page " + chunk.page() + "): "
                + reason);
        step.getExecutionContext().put(key, recorded);
        String other = key.equals(SKIPPED_CHUNKS) ? PARTIAL_CHUNKS : SKIPPED_CHUNKS;
        remove(other, chunk.position());
    }

    private synchronized void forget(io.diveteacher.document.Chunk chunk) {
        remove(SKIPPED_CHUNKS, chunk.position());
        remove(PARTIAL_CHUNKS, chunk.position());
    }

    private void remove(String key, int position) {
        Map<String, String> recorded = recorded(step, key);
        if (recorded.containsKey(String.valueOf(position))) {
            HashMap<String, String> rest = new HashMap<>(recorded);
            rest.remove(String.valueOf(position));
            step.getExecutionContext().put(key, rest);
        }
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        if (stepExecution.getStatus() != BatchStatus.COMPLETED) {
            extraction.cancel();
        }
        embeddings.cancel();
        DocumentOutcome outcome = outcome(stepExecution);
        catalog.markFinished(documentId, outcome);
        log.info("[{}] {}{}", name, outcome.status(), outcome.reason() == null ? "" : ": " + outcome.reason());
        meters.counter("diveteacher.ingestion.documents", "status", outcome.status().name()).increment();
        meters.counter("diveteacher.ingestion.chunks", "outcome", "written").increment(stepExecution.getWriteCount());
        MDC.remove(EXECUTION_MDC);
        return stepExecution.getExitStatus();
    }

    /** The document's outcome as told by its partition's step execution. */
    static DocumentOutcome outcome(StepExecution stepExecution) {
        var context = stepExecution.getExecutionContext();
        String title = context.getString(DocumentChunkReader.TITLE, null);
        String author = context.getString(DocumentChunkReader.AUTHOR, null);
        Integer pages = context.containsKey(DocumentChunkReader.PAGES) ? context.getInt(DocumentChunkReader.PAGES) : null;
        Map<String, String> skipped = recorded(stepExecution, SKIPPED_CHUNKS);
        Map<String, String> partial = recorded(stepExecution, PARTIAL_CHUNKS);
        List<Integer> incomplete = new ArrayList<>();
        skipped.keySet().forEach(p -> incomplete.add(Integer.valueOf(p)));
        partial.keySet().forEach(p -> incomplete.add(Integer.valueOf(p)));
        incomplete.sort(null);
        if (stepExecution.getStatus() == BatchStatus.FAILED || stepExecution.getStatus() == BatchStatus.STOPPED) {
            Throwable cause = stepExecution.getFailureExceptions().stream().findFirst().orElse(null);
            String why = cause == null ? "stopped" : rootMessage(cause);
            return new DocumentOutcome(DocumentStatus.FAILED, "interrupted after " + stepExecution.getWriteCount()
                    + " chunks: " + why + "; run the same ingestion again to resume", title, author, pages,
                    skipped.size(), partial.size(), incomplete);
        }
        if (context.containsKey(DocumentChunkReader.FAILURE)) {
            boolean noText = Boolean.TRUE.equals(context.get(DocumentChunkReader.NO_TEXT));
            return new DocumentOutcome(noText ? DocumentStatus.NO_TEXT : DocumentStatus.FAILED, context.getString(DocumentChunkReader.FAILURE),
                    title, author, pages);
        }
        if (incomplete.isEmpty()) {
            return new DocumentOutcome(DocumentStatus.INGESTED, null, title, author, pages);
        }
        List<String> reasons = new ArrayList<>();
        if (!skipped.isEmpty()) {
            reasons.add(skipped.size() + " chunk(s) skipped because extraction output stayed unusable: "
                    + shown(skipped));
        }
        if (!partial.isEmpty()) {
            reasons.add(partial.size() + " chunk(s) only partly extracted: " + shown(partial));
        }
        return new DocumentOutcome(DocumentStatus.PARTIAL, String.join("; ", reasons)
                + ". The next ingestion of this document extracts them again", title, author, pages, skipped.size(),
                partial.size(), incomplete);
    }

    /** The first few records, in chunk order. */
    private static String shown(Map<String, String> recorded) {
        List<String> positions = recorded.keySet().stream().sorted(Comparator.comparingInt(Integer::parseInt))
                .toList();
        String shown = positions.stream().limit(REASONS_SHOWN).map(recorded::get).collect(Collectors.joining("; "));
        return positions.size() > REASONS_SHOWN ? shown + "; and " + (positions.size() - REASONS_SHOWN) + " more" : shown;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> recorded(StepExecution stepExecution, String key) {
        Object recorded = stepExecution.getExecutionContext().get(key);
        return recorded instanceof Map<?, ?> map ? (Map<String, String>) map : Map.of();
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
