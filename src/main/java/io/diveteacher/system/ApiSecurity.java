package io.diveteacher.system;

import static org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.pathPattern;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.csrf.CsrfException;
import org.springframework.security.web.header.writers.ContentSecurityPolicyHeaderWriter;
import org.springframework.security.web.header.writers.DelegatingRequestMatcherHeaderWriter;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

import tools.jackson.databind.json.JsonMapper;

/**
 * Who may do what on the API: the admin endpoints (jobs, uploads, deletes) need the admin, over HTTP Basic (scripts)
 * or the session of the web pages' login; everything else is read-only, open and rate-limited. The API itself never
 * creates a session. A state-changing request that comes with a session cookie needs the page's CSRF token: a forged
 * request from another site would carry that cookie; a script's request carries none and needs no token.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class ApiSecurity {

    private static final Logger log = LoggerFactory.getLogger(ApiSecurity.class);

    /** What the API chain covers; the web pages have their own ({@link PageSecurity}). */
    static final RequestMatcher API = new OrRequestMatcher(pathPattern("/api/**"), pathPattern("/v3/api-docs/**"),
            pathPattern("/swagger-ui/**"), pathPattern("/swagger-ui.html"), pathPattern("/actuator/**"));

    /** What only the admin may do: jobs, uploads, deletes. Not counted by the rate limit either. */
    static final RequestMatcher ADMIN_REQUESTS = new OrRequestMatcher(pathPattern("/api/admin/**"),
            pathPattern("/api/upload"), pathPattern(HttpMethod.DELETE, "/api/documents/**"));

    /** Swagger UI brings inline scripts of its own: the strict policy of our pages is not for it. */
    private static final RequestMatcher SWAGGER_UI = new OrRequestMatcher(pathPattern("/swagger-ui/**"),
            pathPattern("/swagger-ui.html"));

    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

    /** One count of failed logins for the API and the pages. */
    @Bean
    LoginThrottle loginThrottle(ApiSecurityProperties properties, JsonMapper json) {
        return new LoginThrottle(properties.loginFailuresPerMinute(), new ProblemResponses(json), System::currentTimeMillis);
    }

    /** The throttle runs inside the security filter chains only, not a second time as a servlet filter of its own. */
    @Bean
    FilterRegistrationBean<LoginThrottle> loginThrottleRegistration(LoginThrottle throttle) {
        FilterRegistrationBean<LoginThrottle> registration = new FilterRegistrationBean<>(throttle);
        registration.setEnabled(false);
        return registration;
    }

    @Bean
    @Order(1)
    SecurityFilterChain apiSecurityFilterChain(HttpSecurity http, ApiSecurityProperties properties, JsonMapper json,
            AuthenticationManager adminAuthentication, LoginThrottle throttle) throws Exception {
        ProblemResponses problems = new ProblemResponses(json);
        http
                .securityMatcher(API)
                .authenticationManager(adminAuthentication)
                .csrf(csrf -> csrf.requireCsrfProtectionMatcher(request -> !SAFE_METHODS.contains(request.getMethod())
                        && request.getRequestedSessionId() != null && request.isRequestedSessionIdValid()))
                // Reads the pages' login session, never makes one.
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.NEVER))
                .headers(headers -> headers.addHeaderWriter(new DelegatingRequestMatcherHeaderWriter(
                        new NegatedRequestMatcher(SWAGGER_UI), new ContentSecurityPolicyHeaderWriter(PageSecurity.POLICY))))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(ADMIN_REQUESTS).hasRole("ADMIN")
                        .anyRequest().permitAll())
                .httpBasic(basic -> basic.authenticationEntryPoint((request, response, e) -> {
                    if (e instanceof BadCredentialsException) {
                        throttle.failed(request);
                    }
                    // A request a page of this application made (its session expired, say) must not make the
                    // browser ask for Basic credentials in a dialog: the pages log in through their own form.
                    if (!"same-origin".equals(request.getHeader("Sec-Fetch-Site"))) {
                        response.setHeader("WWW-Authenticate", "Basic realm=\"DiveTeacher admin\"");
                    }
                    problems.write(request, response, HttpStatus.UNAUTHORIZED, "Authentication required",
                            "This endpoint is for the admin: send HTTP Basic credentials (ADMIN_USERNAME and ADMIN_PASSWORD).");
                }))
                .exceptionHandling(handling -> handling.accessDeniedHandler((request, response, e) -> problems.write(request,
                        response, HttpStatus.FORBIDDEN, "Forbidden", e instanceof CsrfException
                                ? "A request made with the web pages' session needs their CSRF token (header X-CSRF-TOKEN); "
                                        + "reload the page and try again."
                                : "This endpoint is for the admin only.")))
                // Both limits come before authentication: a refused request costs no password check.
                .addFilterBefore(new RateLimitFilter(properties.requestsPerMinute(), ADMIN_REQUESTS, problems,
                        System::currentTimeMillis), BasicAuthenticationFilter.class)
                .addFilterBefore(throttle, BasicAuthenticationFilter.class);
        return http.build();
    }

    /** The admin's credentials checked once and remembered for a while (bcrypt costs ~140 ms a check here). */
    @Bean
    AuthenticationManager adminAuthentication(UserDetailsService admins, PasswordEncoder passwordEncoder) {
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(admins);
        provider.setPasswordEncoder(passwordEncoder);
        return new RememberedLogins(new ProviderManager(provider), Duration.ofMinutes(5), System::currentTimeMillis);
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
