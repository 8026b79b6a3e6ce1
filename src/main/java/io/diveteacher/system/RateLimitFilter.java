package io.diveteacher.system;

import java.io.IOException;
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
 * At most {@code limit} requests per client (remote address) and minute to the open API; beyond it 429 with
 * {@code Retry-After}. Runs before authentication. The admin endpoints and health checks are not counted: the
 * admin's calls are not limited, and wrong admin credentials are limited by {@link LoginThrottle} instead.
 */
final class RateLimitFilter extends OncePerRequestFilter {

    private final int limit;
    private final RequestMatcher adminRequests;
    private final ProblemResponses problems;
    private final ClientWindows windows;

    RateLimitFilter(int limit, RequestMatcher adminRequests, ProblemResponses problems, LongSupplier clock) {
        this.limit = limit;
        this.adminRequests = adminRequests;
        this.problems = problems;
        this.windows = new ClientWindows(clock);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return limit == 0 || !path.startsWith("/api/") || path.equals("/api/health") || adminRequests.matches(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (windows.add(request.getRemoteAddr()) > limit) {
            long retryAfter = windows.retryAfterSeconds();
            response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfter));
            problems.write(request, response, HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
                    "At most " + limit + " requests a minute are allowed per client; try again in " + retryAfter + " s.");
            return;
        }
        chain.doFilter(request, response);
    }
}
