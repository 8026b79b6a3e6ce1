package io.diveteacher.ingestion;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.step.StepExecution;

/**
 * Where one execution's written chunks got their extraction: {@code cached} from the model result cache,
 * {@code extracted} from the model; and how busy the extractions kept the model's slots (NaN when none went to it,
 * or while the ingest step runs).
 */
record ExtractionCounts(long cached, long extracted, double slotEfficiency) {

    static ExtractionCounts of(JobExecution execution) {
        long cached = 0;
        long written = 0;
        for (StepExecution step : execution.getStepExecutions()) {
            if (step.getStepName().startsWith(DocumentPartition.WORKER_STEP)) {
                cached += step.getExecutionContext().getLong(DocumentStepListener.CACHED_CHUNKS, 0);
                written += step.getWriteCount();
            }
        }
        return new ExtractionCounts(cached, Math.max(0, written - cached),
                SlotUsageListener.efficiency(execution.getExecutionContext()).orElse(Double.NaN));
    }

    /** The slot usage, or null when there is none to tell (JSON has no NaN). */
    Double slotEfficiencyOrNull() {
        return Double.isNaN(slotEfficiency) ? null : Math.round(slotEfficiency * 1000) / 1000.0;
    }
}
