package io.diveteacher.ingestion;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ItemProcessor;

import io.diveteacher.document.Chunk;
import io.diveteacher.extraction.EntityExtractor;

/**
 * Extracts entities and relationships from a chunk; runs on several threads at once (see the step).
 * Spring Batch does not cancel the other extractions of a commit interval when one fails the step, so
 * this processor does: {@link #cancel()} interrupts those in progress, and chunks that start after the step
 * ended are dropped instead of being sent to the model, since their results could no longer be written.
 */
class ChunkExtractionProcessor implements ItemProcessor<Chunk, ExtractedChunk> {

    private final EntityExtractor extractor;
    private final StepExecution step;
    private final Set<Thread> working = ConcurrentHashMap.newKeySet();
    private volatile boolean cancelled;

    ChunkExtractionProcessor(EntityExtractor extractor, StepExecution step) {
        this.extractor = extractor;
        this.step = step;
    }

    @Override
    public ExtractedChunk process(Chunk chunk) {
        if (cancelled || step.getStatus() != BatchStatus.STARTED || step.isTerminateOnly()) {
            throw new IllegalStateException("step " + step.getStepName() + " has ended (" + step.getStatus()
                    + "): chunk " + chunk.position() + " is not extracted");
        }
        Thread current = Thread.currentThread();
        working.add(current);
        try {
            return new ExtractedChunk(chunk, extractor.extract(chunk.text()), extractor.model());
        } finally {
            working.remove(current);
        }
    }

    /** Stops the extractions still running for this step. */
    void cancel() {
        cancelled = true;
        working.forEach(Thread::interrupt);
    }
}
