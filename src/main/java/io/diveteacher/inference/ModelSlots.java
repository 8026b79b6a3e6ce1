package io.diveteacher.inference;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * At most {@code numParallel} requests per model in flight. Ollama queues what exceeds its parallel
 * slots and the queued time counts against the client's timeouts, so callers wait here instead.
 */
final class ModelSlots {

    private final Semaphore permits;

    ModelSlots(int slots) {
        this.permits = new Semaphore(slots, true);
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
