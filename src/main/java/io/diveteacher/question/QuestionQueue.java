package io.diveteacher.question;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import io.diveteacher.inference.InferenceProperties;

/**
 * Bounds the questions in progress: as many as Ollama has parallel slots are answered, {@code max-waiting} more may
 * wait for a slot, and any further one is refused at once ({@link Overloaded}: 503 with {@code Retry-After}) instead
 * of queueing until clients time out. The wait a refused client is told is the recent answer time times the rounds
 * of answers ahead of it. Admitted questions are counted in {@code diveteacher.query.active}, refused ones in
 * {@code diveteacher.query.rejected}.
 */
@Component
public class QuestionQueue {

    private static final long FIRST_GUESS_MILLIS = 2_000;

    private final Semaphore places;
    private final int slots;
    private final int capacity;
    private final Counter rejected;
    // Exponentially weighted mean of recent answer times: what a refused client can expect to wait per round.
    private final AtomicLong meanMillis = new AtomicLong(FIRST_GUESS_MILLIS);

    QuestionQueue(InferenceProperties inference, QueryProperties properties, MeterRegistry meters) {
        this.slots = inference.numParallel();
        this.capacity = slots + properties.maxWaiting(slots);
        this.places = new Semaphore(capacity);
        this.rejected = Counter.builder("diveteacher.query.rejected")
                .description("questions refused at once because as many as allowed were answered or waiting")
                .register(meters);
        Gauge.builder("diveteacher.query.active", this, QuestionQueue::active)
                .description("questions being answered or waiting for a model slot").register(meters);
        Gauge.builder("diveteacher.query.capacity", this, q -> q.capacity)
                .description("questions that may be answered or waiting at once").register(meters);
    }

    /** A place in the queue, held until the answer is complete; closing it twice is harmless. */
    public final class Place implements AutoCloseable {

        private final long started = System.nanoTime();
        private boolean closed;

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                long millis = (System.nanoTime() - started) / 1_000_000;
                meanMillis.accumulateAndGet(millis, (mean, latest) -> (4 * mean + latest) / 5);
                places.release();
            }
        }
    }

    /** A place for one more question, or {@link Overloaded} when there is none. */
    public Place enter() {
        if (!places.tryAcquire()) {
            rejected.increment();
            throw new Overloaded(active(), capacity, retryAfterSeconds());
        }
        return new Place();
    }

    int active() {
        return capacity - places.availablePermits();
    }

    /** Seconds until a place is likely free: the rounds of answers ahead, at the recent answer time, 1 to 120. */
    long retryAfterSeconds() {
        double rounds = Math.max(1.0, (double) capacity / slots);
        long seconds = (long) Math.ceil(rounds * meanMillis.get() / 1000.0);
        return Math.max(1, Math.min(120, seconds));
    }

    /** As many questions as allowed are being answered or waiting. */
    public static final class Overloaded extends RuntimeException {

        private final int active;
        private final int capacity;
        private final long retryAfterSeconds;

        Overloaded(int active, int capacity, long retryAfterSeconds) {
            super(active + " questions are being answered or waiting for the model, as many as this server takes at "
                    + "once (" + capacity + "); ask again in " + retryAfterSeconds + " s");
            this.active = active;
            this.capacity = capacity;
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }

        public int active() {
            return active;
        }

        public int capacity() {
            return capacity;
        }
    }
}
