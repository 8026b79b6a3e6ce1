package io.diveteacher.inference;

import java.time.Duration;

/**
 * A streamed chat answer with Ollama's own counters for it: {@code evalCount} output tokens generated in
 * {@code evalDuration} (from the last NDJSON line, {@code eval_count} and {@code eval_duration}).
 */
public record StreamedReply(String content, String finishReason, int evalCount, Duration evalDuration) {

    /** Generation speed as Ollama measured it; 0 when it did not say. */
    public double tokensPerSecond() {
        if (evalDuration == null || evalDuration.isZero() || evalCount <= 0) {
            return 0;
        }
        return evalCount * 1e9 / evalDuration.toNanos();
    }

    public boolean truncated() {
        return "length".equalsIgnoreCase(finishReason);
    }
}
