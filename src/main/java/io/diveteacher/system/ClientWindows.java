package io.diveteacher.system;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Counts per client (remote address) in fixed one-minute windows, in one map that is cleared as windows pass:
 * written here because the limiter libraries at hand keep one limiter object per client for ever, and this is all
 * the request limit and the failed-login limit need.
 */
final class ClientWindows {

    static final long WINDOW_MILLIS = 60_000;

    private final LongSupplier clock;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private volatile long window;

    ClientWindows(LongSupplier clock) {
        this.clock = clock;
    }

    /** Counts one more for the client in this minute; returns the count. */
    int add(String client) {
        roll();
        return counts.computeIfAbsent(client, k -> new AtomicInteger()).incrementAndGet();
    }

    /** The client's count in this minute. */
    int count(String client) {
        roll();
        AtomicInteger count = counts.get(client);
        return count == null ? 0 : count.get();
    }

    /** Seconds until the next minute starts, and the counts with it (at least 1). */
    long retryAfterSeconds() {
        long now = clock.getAsLong();
        long current = now / WINDOW_MILLIS;
        return Math.max(1, ((current + 1) * WINDOW_MILLIS - now + 999) / 1000);
    }

    private void roll() {
        long current = clock.getAsLong() / WINDOW_MILLIS;
        if (current != window) {
            synchronized (this) {
                if (current != window) {
                    counts.clear();
                    window = current;
                }
            }
        }
    }
}
