package io.diveteacher.system;

import java.io.IOException;
import java.util.function.LongSupplier;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Failed admin logins per client (remote address) and minute, over HTTP Basic and the pages' login form alike.
 * Past {@code limit}, the client's further attempts with credentials are refused with 429 before any password is
 * checked (a bcrypt check costs tens of milliseconds of CPU: a script guessing passwords would otherwise keep both
 * cores busy), until the minute is over. Other clients, and requests without credentials, are not affected.
 */
final class LoginThrottle extends OncePerRequestFilter {

    static final String LOGIN = "/login";

    private final int limit;
    private final ProblemResponses problems;
    private final ClientWindows failures;

    LoginThrottle(int limit, ProblemResponses problems, LongSupplier clock) {
        this.limit = limit;
        this.problems = problems;
        this.failures = new ClientWindows(clock);
    }

    /** A wrong user name or password from this client. */
    void failed(HttpServletRequest request) {
        if (limit > 0) {
            failures.add(request.getRemoteAddr());
        }
    }

    /** Whether the client has used up its failed logins for this minute. */
    boolean locked(HttpServletRequest request) {
        return limit > 0 && failures.count(request.getRemoteAddr()) >= limit;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !carriesCredentials(request);
    }

    private static boolean carriesCredentials(HttpServletRequest request) {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        return authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6)
                || HttpMethod.POST.matches(request.getMethod()) && LOGIN.equals(request.getServletPath());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (locked(request)) {
            long retryAfter = failures.retryAfterSeconds();
            if (!request.getServletPath().startsWith("/api/")) {
                // The pages' login form: back to it, saying why.
                response.sendRedirect(request.getContextPath() + "/login?locked");
                return;
            }
            response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(retryAfter));
            problems.write(request, response, HttpStatus.TOO_MANY_REQUESTS, "Too many failed logins",
                    limit + " failed logins from this client in a minute: no more are checked for " + retryAfter
                            + " s. Check ADMIN_USERNAME and ADMIN_PASSWORD.");
            return;
        }
        chain.doFilter(request, response);
    }
}
