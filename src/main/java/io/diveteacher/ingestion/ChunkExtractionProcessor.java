package io.diveteacher.ingestion;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ItemProcessor;

import io.diveteacher.document.Chunk;
import io.diveteacher.extraction.EntityExtractor;
import io.diveteacher.extraction.ExtractedGraph;
import io.diveteacher.extraction.ExtractionCache;
import io.diveteacher.inference.ModelCallException;

/**
 * Extracts entities and relationships from a chunk. The reader hands each chunk here ahead of the step
 * ({@link #ahead}): its extraction is looked up in the cache at once, or queued for a model slot
 * ({@link ExtractionQueue}), so the model works on the next chunks while the step processes and writes this
 * commit interval. {@link #process} then only waits for the chunk's result, in order, and the step writes in
 * order as before.
 * <p>
 * A chunk whose extraction failed is extracted afresh when Spring Batch retries it (the failed result is not kept).
 * When the step ends early, {@link #cancel()} stops the extractions read ahead: their results could not be written.
 */
class ChunkExtractionProcessor implements ItemProcessor<Chunk, ExtractedChunk> {

    private final EntityExtractor extractor;
    private final ExtractionCache cache;
    private final ExtractionQueue queue;
    private final boolean useCache;
    private final StepExecution step;
    private final Map<Integer, Pending> ahead = new ConcurrentHashMap<>();
    private volatile boolean cancelled;

    /** A chunk's extraction under way or done, and whether it came from the cache. */
    private record Pending(Future<ExtractedGraph> result, boolean cached) {
    }

    ChunkExtractionProcessor(EntityExtractor extractor, ExtractionCache cache, ExtractionQueue queue, boolean useCache,
            StepExecution step) {
        this.extractor = extractor;
        this.cache = cache;
        this.queue = queue;
        this.useCache = useCache;
        this.step = step;
    }

    /** Starts the extraction of a chunk the reader has read ahead of the step. */
    void ahead(Chunk chunk) {
        ahead.put(chunk.position(), start(chunk));
    }

    private Pending start(Chunk chunk) {
        String key;
        try {
            key = cache.key(extractor, chunk.text());
            if (useCache) {
                Optional<ExtractedGraph> cached = cache.find(key);
                if (cached.isPresent()) {
                    return new Pending(CompletableFuture.completedFuture(cached.get()), true);
                }
            }
        } catch (RuntimeException e) {
            // E.g. no models yet: the failure belongs to this chunk's processing, where the retry policy sees it.
            return new Pending(CompletableFuture.failedFuture(e), false);
        }
        return new Pending(queue.submit(step.getJobExecutionId(), () -> extract(chunk, key)), false);
    }

    private ExtractedGraph extract(Chunk chunk, String key) {
        if (cancelled || step.getStatus() != BatchStatus.STARTED || step.isTerminateOnly()) {
            throw new IllegalStateException("step " + step.getStepName() + " has ended (" + step.getStatus()
                    + "): chunk " + chunk.position() + " is not extracted");
        }
        ExtractedGraph graph = extractor.extract(chunk.text());
        // Stored as soon as made (on the cache's thread): paid for, it survives a crash before the chunk's commit.
        cache.store(key, graph);
        return graph;
    }

    @Override
    public ExtractedChunk process(Chunk chunk) {
        Pending pending = ahead.remove(chunk.position());
        if (pending == null) {
            pending = start(chunk); // a retry, or a chunk the reader did not hand out ahead
        }
        try {
            return new ExtractedChunk(chunk, pending.result().get(), extractor.model(), pending.cached());
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (CancellationException e) {
            throw new IllegalStateException("the extraction of chunk " + chunk.position() + " was cancelled", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.result().cancel(true);
            throw new ModelCallException("interrupted while waiting for the extraction of chunk " + chunk.position(),
                    true, e);
        }
    }

    /** Stops the extractions still running or queued for this step. */
    void cancel() {
        cancelled = true;
        ahead.values().forEach(p -> p.result().cancel(true));
        ahead.clear();
    }
}
