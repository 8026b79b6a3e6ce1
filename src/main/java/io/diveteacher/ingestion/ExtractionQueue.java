package io.diveteacher.ingestion;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import io.diveteacher.inference.InferenceProperties;

/**
 * The extractions of every running partition, in one queue in front of as many threads as Ollama has parallel
 * slots: whenever any document has a chunk waiting, all slots have a request, and never more than that. Partitions
 * put chunks here ahead of their commit boundary ({@link ChunkExtractionProcessor#ahead}), so a document that is
 * writing or alone still keeps the slots busy.
 * <p>
 * It also keeps each job's slot usage, the figure an operator checks on a real GPU: the time extractions held a
 * slot ÷ (slots × the span from the first extraction to the end of the last one).
 */
@Component
class ExtractionQueue {

    /**
     * How long after the last extraction its pace still says something of the model: Ollama unloads an idle model
     * after five minutes by default ({@code keep_alive}), and it may come back elsewhere (on the CPU, another GPU).
     */
    static final Duration PACE_FORGOTTEN_AFTER = Duration.ofMinutes(5);

    private final ThreadPoolTaskExecutor executor;
    private final int slots;
    private final Map<Long, Usage> usage = new ConcurrentHashMap<>();
    private volatile double lastEfficiency = Double.NaN;
    /** Seconds an extraction held its slot lately (exponentially weighted), NaN before the first. */
    private double pace = Double.NaN;
    /** When the last extraction ended ({@link System#nanoTime()}). */
    private long pacedAt;

    ExtractionQueue(ThreadPoolTaskExecutor extractionExecutor, InferenceProperties inference, MeterRegistry meters) {
        this.executor = extractionExecutor;
        this.slots = inference.numParallel();
        Gauge.builder("diveteacher.ingestion.slots.busy", this, q -> q.lastEfficiency)
                .description("share of the model's parallel slots busy with extraction during the last ingestion")
                .register(meters);
        Gauge.builder("diveteacher.ingestion.extractions.active", executor, e -> e.getActiveCount())
                .description("extraction requests in flight now").register(meters);
        Gauge.builder("diveteacher.ingestion.extractions.queued", executor, e -> e.getQueueSize())
                .description("extractions read ahead and waiting for a free slot").register(meters);
    }

    /** Runs an extraction of a job in a free slot; its time counts towards the job's slot usage. */
    <T> Future<T> submit(long jobExecutionId, Callable<T> extraction) {
        Usage job = usage.computeIfAbsent(jobExecutionId, id -> new Usage());
        return executor.submit(() -> {
            long started = System.nanoTime();
            job.first.accumulateAndGet(started, Math::min);
            try {
                return extraction.call();
            } finally {
                long ended = System.nanoTime();
                job.busy.addAndGet(ended - started);
                job.last.accumulateAndGet(ended, Math::max);
                paced((ended - started) / 1e9, ended);
            }
        });
    }

    /** A fifth of each new extraction's time, so that a few slow calls (a model loading) are soon outweighed. */
    private synchronized void paced(double seconds, long ended) {
        pace = Double.isNaN(pace) ? seconds : 0.8 * pace + 0.2 * seconds;
        pacedAt = ended;
    }

    /**
     * How long an extraction holds its slot these days, in seconds; empty before this process has made one, and
     * when the last one ended more than {@link #PACE_FORGOTTEN_AFTER} ago.
     */
    OptionalDouble secondsPerExtraction() {
        return secondsPerExtraction(System.nanoTime());
    }

    /** The same, as of {@code now} ({@link System#nanoTime()}). */
    synchronized OptionalDouble secondsPerExtraction(long now) {
        if (Double.isNaN(pace) || now - pacedAt > PACE_FORGOTTEN_AFTER.toNanos()) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(pace);
    }

    /** The model's parallel slots. */
    int slots() {
        return slots;
    }

    /** The job's slot usage so far (busy and span in nanoseconds), and forgets it when {@code done}. */
    SlotUsage usage(long jobExecutionId, boolean done) {
        Usage job = done ? usage.remove(jobExecutionId) : usage.get(jobExecutionId);
        if (job == null) {
            return new SlotUsage(0, 0, slots);
        }
        SlotUsage result = new SlotUsage(job.busy.get(), Math.max(0, job.last.get() - job.first.get()), slots);
        if (done && result.span() > 0) {
            lastEfficiency = result.efficiency();
        }
        return result;
    }

    private static final class Usage {
        final AtomicLong busy = new AtomicLong();
        final AtomicLong first = new AtomicLong(Long.MAX_VALUE);
        final AtomicLong last = new AtomicLong(Long.MIN_VALUE);
    }

    /** Slot time used by a job's extractions: {@code busy} of {@code slots × span} nanoseconds. */
    record SlotUsage(long busy, long span, int slots) {

        /** Busy share of the slots between the first extraction and the end of the last; NaN with none. */
        double efficiency() {
            return span <= 0 ? Double.NaN : Math.min(1.0, (double) busy / ((double) slots * span));
        }
    }
}
