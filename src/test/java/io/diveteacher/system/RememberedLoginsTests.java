package io.diveteacher.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;

class RememberedLoginsTests {

    private final AtomicLong now = new AtomicLong(1_000);
    private final AtomicInteger checks = new AtomicInteger();
    private final RememberedLogins logins = new RememberedLogins(authentication -> {
        checks.incrementAndGet();
        if (!"right".equals(authentication.getCredentials())) {
            throw new BadCredentialsException("Bad credentials");
        }
        return UsernamePasswordAuthenticationToken.authenticated(authentication.getName(), null, List.of());
    }, Duration.ofMinutes(5), now::get);

    private static UsernamePasswordAuthenticationToken login(String password) {
        return UsernamePasswordAuthenticationToken.unauthenticated("admin", password);
    }

    @Test
    void aSuccessfulCheckIsRememberedForItsTimeAndFailuresNever() {
        assertThat(logins.authenticate(login("right")).isAuthenticated()).isTrue();
        assertThat(logins.authenticate(login("right")).isAuthenticated()).isTrue();
        assertThat(checks).hasValue(1);

        assertThatThrownBy(() -> logins.authenticate(login("wrong"))).isInstanceOf(BadCredentialsException.class);
        assertThatThrownBy(() -> logins.authenticate(login("wrong"))).isInstanceOf(BadCredentialsException.class);
        assertThat(checks).hasValue(3);

        now.addAndGet(Duration.ofMinutes(5).toMillis());
        logins.authenticate(login("right"));
        assertThat(checks).hasValue(4);
    }
}
