package io.diveteacher.inference;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * At most {@code numParallel} requests per model in flight. Ollama queues what exceeds its parallel
 * slots and the queued time counts against the client's timeouts, so callers wait here instead. The callers
 * waiting are the gauge {@code diveteacher.model.waiting}.
 */
final class ModelSlots {

    private final Semaphore permits;

    ModelSlots(String kind, int slots, MeterRegistry meters) {
        this.permits = new Semaphore(slots, true);
        Gauge.builder("diveteacher.model.waiting", this, ModelSlots::waiting).tag("kind", kind)
                .description("model calls waiting for a free parallel slot").register(meters);
    }

    /** Callers waiting for a slot: the queue in front of the model. */
    int waiting() {
        return permits.getQueueLength();
    }

    <T> T call(Supplier<T> call) {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelCallException("interrupted while waiting for a free model slot", true, e);
        }
        try {
            return call.get();
        } finally {
            permits.release();
        }
    }
}
