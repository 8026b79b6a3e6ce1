package io.diveteacher.system;

import static org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.pathPattern;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import tools.jackson.databind.json.JsonMapper;

/**
 * Who may do what: the admin endpoints (jobs, uploads, deletes) need the admin over HTTP Basic; everything
 * else is read-only, open and rate-limited. Stateless: no session, no cookie.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class ApiSecurity {

    private static final Logger log = LoggerFactory.getLogger(ApiSecurity.class);

    /** What only the admin may do: jobs, uploads, deletes. Not counted by the rate limit either. */
    static final RequestMatcher ADMIN_REQUESTS = new OrRequestMatcher(pathPattern("/api/admin/**"),
            pathPattern("/api/upload"), pathPattern(HttpMethod.DELETE, "/api/documents/**"));

    @Bean
    SecurityFilterChain apiSecurityFilterChain(HttpSecurity http, ApiSecurityProperties properties, JsonMapper json,
            UserDetailsService admins, PasswordEncoder passwordEncoder) throws Exception {
        ProblemResponses problems = new ProblemResponses(json);
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(admins);
        provider.setPasswordEncoder(passwordEncoder);
        http
                .authenticationManager(new RememberedLogins(new ProviderManager(provider), Duration.ofMinutes(5),
                        System::currentTimeMillis))
                // CSRF protection guards cookie sessions against forged browser requests; this API keeps no session
                // and takes credentials only in the Authorization header, which a forged request cannot carry.
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(ADMIN_REQUESTS).hasRole("ADMIN")
                        .anyRequest().permitAll())
                .httpBasic(basic -> basic.authenticationEntryPoint((request, response, e) -> {
                    response.setHeader("WWW-Authenticate", "Basic realm=\"DiveTeacher admin\"");
                    problems.write(request, response, HttpStatus.UNAUTHORIZED, "Authentication required",
                            "This endpoint is for the admin: send HTTP Basic credentials (ADMIN_USERNAME and ADMIN_PASSWORD).");
                }))
                .exceptionHandling(handling -> handling.accessDeniedHandler((request, response, e) -> problems.write(request,
                        response, HttpStatus.FORBIDDEN, "Forbidden", "This endpoint is for the admin only.")))
                .addFilterAfter(new RateLimitFilter(properties.requestsPerMinute(), ADMIN_REQUESTS, problems,
                        System::currentTimeMillis),
                        BasicAuthenticationFilter.class);
        return http.build();
    }

    /**
     * A URL that Spring Security's firewall rejects ({@code %2e}, {@code //}, {@code ;}, ...): a 400 problem detail
     * that says why, instead of a bare status that Spring Boot's error page would render as its own error map.
     */
    @Bean
    RequestRejectedHandler requestRejectedHandler(JsonMapper json) {
        ProblemResponses problems = new ProblemResponses(json);
        return (request, response, e) -> problems.write(request, response, HttpStatus.BAD_REQUEST, "Bad Request",
                e.getMessage() + ". Request the path without encoded dots, slashes or other unsafe sequences.");
    }

    @Bean
    PasswordEncoder passwordEncoder() {
        return PasswordEncoderFactories.createDelegatingPasswordEncoder();
    }

    @Bean
    UserDetailsService admins(ApiSecurityProperties properties, PasswordEncoder encoder, Environment environment) {
        String password = properties.adminPassword();
        String encoded;
        if (password == null || password.isBlank()) {
            if (environment.acceptsProfiles(Profiles.of("prod"))) {
                throw new IllegalStateException("ADMIN_PASSWORD is not set: the prod profile does not start without an "
                        + "admin password (plain, or encoded as {bcrypt}...)");
            }
            byte[] random = new byte[18];
            new SecureRandom().nextBytes(random);
            String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            log.warn("\n\n*** No ADMIN_PASSWORD set: the admin password for this run is {} (user {}). "
                    + "Set ADMIN_PASSWORD to choose one.\n", generated, properties.adminUsername());
            encoded = encoder.encode(generated);
            Arrays.fill(random, (byte) 0);
        } else {
            // An already encoded password ({bcrypt}...) is kept as it is; a plain one is hashed before it is stored.
            encoded = password.startsWith("{") ? password : encoder.encode(password);
        }
        return new InMemoryUserDetailsManager(User.withUsername(properties.adminUsername()).password(encoded)
                .roles("ADMIN").build());
    }
}
