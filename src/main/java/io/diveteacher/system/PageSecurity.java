package io.diveteacher.system;

import static org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher.pathPattern;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.UsernamePasswordAuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter;

/**
 * The web pages: open to read and ask, the admin's pages (jobs) behind a login form (its failures counted by
 * {@link LoginThrottle}, like wrong HTTP Basic credentials) with a session that expires
 * ({@code server.servlet.session.timeout}), CSRF tokens on every state-changing request (forms carry them as fields,
 * the pages' scripts as the {@code X-CSRF-TOKEN} header), logout, and a strict Content-Security-Policy: scripts,
 * styles and everything else from this server only, no inline script, no framing.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class PageSecurity {

    static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
            + "frame-ancestors 'none'";

    @Bean
    @Order(2)
    SecurityFilterChain pageSecurityFilterChain(HttpSecurity http, AuthenticationManager adminAuthentication,
            LoginThrottle throttle) throws Exception {
        http
                .authenticationManager(adminAuthentication)
                .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.IF_REQUIRED))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(POLICY))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicyHeaderWriter.ReferrerPolicy.SAME_ORIGIN)))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(pathPattern("/jobs"), pathPattern("/jobs/**")).hasRole("ADMIN")
                        .anyRequest().permitAll())
                .formLogin(form -> form.loginPage(LoginThrottle.LOGIN).defaultSuccessUrl("/library").permitAll()
                        .failureHandler((request, response, e) -> {
                            if (e instanceof BadCredentialsException) {
                                throttle.failed(request);
                            }
                            response.sendRedirect(request.getContextPath() + LoginThrottle.LOGIN + "?error");
                        }))
                .addFilterBefore(throttle, UsernamePasswordAuthenticationFilter.class)
                .logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?logout").permitAll());
        return http.build();
    }
}
