package io.diveteacher.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.security.crypto.password.PasswordEncoder;

class ApiSecurityTests {

    private final ApiSecurity security = new ApiSecurity();
    private final PasswordEncoder encoder = security.passwordEncoder();

    private String storedPassword(String password, String... profiles) {
        MockEnvironment environment = new MockEnvironment();
        environment.setActiveProfiles(profiles);
        return security.admins(new ApiSecurityProperties("admin", password, 120, 10), encoder, environment)
                .loadUserByUsername("admin").getPassword();
    }

    @Test
    void aPlainPasswordIsStoredHashedAndAnEncodedOneAsGiven() {
        String stored = storedPassword("s3cret");
        assertThat(stored).startsWith("{bcrypt}").doesNotContain("s3cret");
        assertThat(encoder.matches("s3cret", stored)).isTrue();

        String bcrypt = encoder.encode("other");
        assertThat(storedPassword(bcrypt)).isEqualTo(bcrypt);
    }

    @Test
    void withoutAPasswordTheLocalProfileGeneratesOneAndProdRefusesToStart() {
        String generated = storedPassword("", "local");
        assertThat(generated).startsWith("{bcrypt}");
        assertThat(storedPassword(null, "local")).isNotEqualTo(generated);

        assertThatThrownBy(() -> storedPassword("  ", "prod")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ADMIN_PASSWORD is not set: the prod profile does not start without an admin password");
    }
}
