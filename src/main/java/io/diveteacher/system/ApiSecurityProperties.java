package io.diveteacher.system;

import org.springframework.validation.annotation.Validated;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Who may administer the application and how hard the open API may be used ({@code diveteacher.security.*}).
 *
 * @param adminUsername the admin's user name ({@code ADMIN_USERNAME})
 * @param adminPassword the admin's password ({@code ADMIN_PASSWORD}), plain or already encoded as
 *        {@code {bcrypt}$2a$...}; blank: a random one is generated and logged (local profile) or start-up fails (prod)
 * @param requestsPerMinute requests one client may make per minute to the open API ({@code DIVETEACHER_RATE_LIMIT});
 *        0 turns the limit off
 * @param loginFailuresPerMinute failed admin logins one client may make per minute (HTTP Basic or the login form);
 *        beyond them its logins are refused unchecked (429) until the minute is over; 0 turns the limit off
 */
@ConfigurationProperties("diveteacher.security")
@Validated
record ApiSecurityProperties(
        @NotBlank(message = "ADMIN_USERNAME must not be blank") String adminUsername,
        String adminPassword,
        @PositiveOrZero(message = "DIVETEACHER_RATE_LIMIT must be 0 (off) or more, was ${validatedValue}")
        int requestsPerMinute,
        @PositiveOrZero(message = "DIVETEACHER_LOGIN_FAILURES must be 0 (off) or more, was ${validatedValue}")
        int loginFailuresPerMinute) {
}
