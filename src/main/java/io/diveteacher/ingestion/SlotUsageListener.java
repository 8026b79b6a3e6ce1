package io.diveteacher.ingestion;

import java.util.Locale;
import java.util.OptionalDouble;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * When the ingest step ends, keeps in the job's context how busy its extractions kept the model's slots (for the
 * summary) and logs it: the figure to watch on a real GPU.
 */
class SlotUsageListener implements StepExecutionListener {

    static final String BUSY = "slots.busyNanos";
    static final String SPAN = "slots.spanNanos";
    static final String SLOTS = "slots.count";
    private static final Logger log = LoggerFactory.getLogger(SlotUsageListener.class);

    private final ExtractionQueue queue;

    SlotUsageListener(ExtractionQueue queue) {
        this.queue = queue;
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        ExtractionQueue.SlotUsage usage = queue.usage(stepExecution.getJobExecutionId(), true);
        ExecutionContext job = stepExecution.getJobExecution().getExecutionContext();
        job.putLong(BUSY, usage.busy());
        job.putLong(SPAN, usage.span());
        job.putInt(SLOTS, usage.slots());
        if (usage.span() > 0) {
            log.info("Extraction: slots busy {} ({} slots, {} s of extraction traffic)", percent(usage.efficiency()),
                    usage.slots(), String.format(Locale.ROOT, "%.1f", usage.span() / 1e9));
        }
        return null;
    }

    /** The slot usage a job's context holds, or empty when no chunk went to the model. */
    static OptionalDouble efficiency(ExecutionContext job) {
        var usage = new ExtractionQueue.SlotUsage(job.getLong(BUSY, 0), job.getLong(SPAN, 0), job.getInt(SLOTS, 1));
        return usage.span() <= 0 ? OptionalDouble.empty() : OptionalDouble.of(usage.efficiency());
    }

    static String percent(double share) {
        return String.format(Locale.ROOT, "%.0f %%", share * 100);
    }
}
