package io.diveteacher.inference;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

/**
 * What the model calls cost: a timer by kind (chat, answer, embedding), model and outcome, the tokens generated,
 * and a count of the calls this process made (the command line's summaries print it).
 */
@Component
class ModelMetrics {

    private final MeterRegistry meters;
    private final AtomicLong calls = new AtomicLong();

    ModelMetrics(MeterRegistry meters) {
        this.meters = meters;
    }

    MeterRegistry registry() {
        return meters;
    }

    /** One more call made (successful or not). */
    void called() {
        calls.incrementAndGet();
    }

    long calls() {
        return calls.get();
    }

    void record(String kind, String model, String outcome, long startedNanos) {
        Timer.builder("diveteacher.model.calls").description("model calls by kind, model and outcome")
                .tags("kind", kind, "model", model, "outcome", outcome).register(meters)
                .record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
    }

    void tokens(String kind, String model, int count) {
        meters.counter("diveteacher.model.tokens", "kind", kind, "model", model).increment(count);
    }
}
