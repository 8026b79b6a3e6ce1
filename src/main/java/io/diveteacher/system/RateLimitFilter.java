package io.diveteacher.system;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * At most {@code limit} requests per client (remote address) and minute to the open API; beyond it 429
 * with {@code Retry-After}. Fixed one-minute windows in one map that is cleared as windows pass: written here
 * because the limiter libraries at hand keep one limiter object per client for ever, and this is all it takes.
 * Admin requests (authenticated) and health checks are not limited.
 */
final class RateLimitFilter extends OncePerRequestFilter {

    private static final long WINDOW_MILLIS = 60_000;

    private final int limit;
    private final RequestMatcher adminRequests;
    private final ProblemResponses problems;
    private final LongSupplier clock;
    private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
    private volatile long window;

    RateLimitFilter(int limit, RequestMatcher adminRequests, ProblemResponses problems, LongSupplier clock) {
        this.limit = limit;
        this.adminRequests = adminRequests;
        this.problems = problems;
        this.clock = clock;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return limit == 0 || !path.startsWith("/api/") || path.equals("/api/health") || adminRequests.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long now = clock.getAsLong();
        long current = now / WINDOW_MILLIS;
        if (current != window) {
            synchronized (this) {
                if (current != window) {
                    counts.clear();
                    window = current;
                }
            }
        }
        int used = counts.computeIfAbsent(request.getRemoteAddr(), k -> new AtomicInteger()).incrementAndGet();
        if (used > limit) {
            long retryAfter = Math.max(1, ((current + 1) * WINDOW_MILLIS - now + 999) / 1000);
            response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfter));
            problems.write(request, response, HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
                    "At most " + limit + " requests a minute are allowed per client; try again in " + retryAfter + " s.");
            return;
        }
        chain.doFilter(request, response);
    }
}
