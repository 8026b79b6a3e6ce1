package io.diveteacher.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import tools.jackson.databind.json.JsonMapper;

class RateLimitFilterTests {

    private final AtomicLong now = new AtomicLong(120_000);
    private final RateLimitFilter filter = new RateLimitFilter(3, ApiSecurity.ADMIN_REQUESTS,
            new ProblemResponses(JsonMapper.shared()), now::get);

    private MockHttpServletResponse call(String method, String path, String client) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        request.setRemoteAddr(client);
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        return response;
    }

    @Test
    void beyondTheLimitAClientGets429WithRetryAfterUntilTheNextMinute() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(call("POST", "/api/query", "10.0.0.1").getStatus()).isEqualTo(200);
        }
        now.addAndGet(45_000);

        MockHttpServletResponse refused = call("GET", "/api/documents", "10.0.0.1");

        assertThat(refused.getStatus()).isEqualTo(429);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("15");
        assertThat(refused.getContentType()).startsWith("application/problem+json");
        assertThat(refused.getContentAsString()).contains("At most 3 requests a minute");
        assertThat(call("GET", "/api/documents", "10.0.0.2").getStatus()).as("another client").isEqualTo(200);

        now.addAndGet(15_000);
        assertThat(call("GET", "/api/documents", "10.0.0.1").getStatus()).as("a new minute").isEqualTo(200);
    }

    @Test
    void healthAdminRequestsAndPagesOutsideTheApiAreNotCounted() throws Exception {
        for (int i = 0; i < 10; i++) {
            assertThat(call("GET", "/api/health", "10.0.0.3").getStatus()).isEqualTo(200);
            assertThat(call("GET", "/api/admin/jobs", "10.0.0.3").getStatus()).isEqualTo(200);
            assertThat(call("GET", "/actuator/health", "10.0.0.3").getStatus()).isEqualTo(200);
            assertThat(call("DELETE", "/api/documents/x", "10.0.0.3").getStatus()).isEqualTo(200);
        }
        assertThat(call("GET", "/api/graph/stats", "10.0.0.3").getStatus()).isEqualTo(200);
    }
}
