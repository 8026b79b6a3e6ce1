package io.diveteacher.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.servlet.FilterChain;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import tools.jackson.databind.json.JsonMapper;

class LoginThrottleTests {

    private final AtomicLong now = new AtomicLong(600_000);
    private final LoginThrottle throttle = new LoginThrottle(3, new ProblemResponses(JsonMapper.shared()), now::get);
    private final AtomicInteger passed = new AtomicInteger();
    private final FilterChain chain = (request, response) -> passed.incrementAndGet();

    private MockHttpServletRequest basic(String client) {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/admin/jobs");
        request.setServletPath("/api/admin/jobs");
        request.setRemoteAddr(client);
        request.addHeader("Authorization", "Basic YWRtaW46d3Jvbmc=");
        return request;
    }

    private MockHttpServletResponse call(MockHttpServletRequest request) throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        throttle.doFilter(request, response, chain);
        return response;
    }

    @Test
    void pastTheLimitOfFailuresAClientsCredentialsAreRefusedUncheckedUntilTheMinuteIsOver() throws Exception {
        for (int i = 0; i < 3; i++) {
            assertThat(call(basic("10.0.0.1")).getStatus()).isEqualTo(200);
            throttle.failed(basic("10.0.0.1"));
        }
        now.addAndGet(20_000);

        MockHttpServletResponse refused = call(basic("10.0.0.1"));

        assertThat(refused.getStatus()).isEqualTo(429);
        assertThat(refused.getHeader("Retry-After")).isEqualTo("40");
        assertThat(refused.getContentAsString()).contains("3 failed logins from this client in a minute");
        assertThat(passed.get()).as("the refused request never reached the password check").isEqualTo(3);
        assertThat(call(basic("10.0.0.2")).getStatus()).as("another client").isEqualTo(200);
        MockHttpServletRequest anonymous = new MockHttpServletRequest("GET", "/api/documents");
        anonymous.setRemoteAddr("10.0.0.1");
        assertThat(call(anonymous).getStatus()).as("a request without credentials").isEqualTo(200);

        now.addAndGet(40_000);
        assertThat(call(basic("10.0.0.1")).getStatus()).as("a new minute").isEqualTo(200);
    }

    @Test
    void theLoginFormOfALockedClientIsSentBackToTheFormSayingWhy() throws Exception {
        MockHttpServletRequest form = new MockHttpServletRequest("POST", "/login");
        form.setServletPath("/login");
        form.setRemoteAddr("10.0.0.5");
        for (int i = 0; i < 3; i++) {
            throttle.failed(form);
        }

        MockHttpServletResponse response = call(form);

        assertThat(response.getStatus()).isEqualTo(302);
        assertThat(response.getRedirectedUrl()).isEqualTo("/login?locked");
    }
}
