package io.diveteacher.system;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * HTTP Basic sends the password with every request, and checking it against the stored bcrypt hash costs tens
 * of milliseconds of CPU each time (on purpose). A successful check is remembered for a few minutes under a
 * SHA-256 of the credentials, so an operator polling a job's progress is answered at once; failed attempts are
 * never remembered and keep costing the full check.
 */
final class RememberedLogins implements AuthenticationManager {

    private final AuthenticationManager delegate;
    private final long ttlMillis;
    private final LongSupplier clock;
    private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

    RememberedLogins(AuthenticationManager delegate, Duration ttl, LongSupplier clock) {
        this.delegate = delegate;
        this.ttlMillis = ttl.toMillis();
        this.clock = clock;
    }

    private record Remembered(Authentication authentication, long until) {
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        if (!(authentication instanceof UsernamePasswordAuthenticationToken token)
                || !(token.getCredentials() instanceof String password)) {
            return delegate.authenticate(authentication);
        }
        long now = clock.getAsLong();
        String key = key(token.getName(), password);
        Remembered known = remembered.get(key);
        if (known != null && known.until() > now) {
            return known.authentication();
        }
        remembered.values().removeIf(r -> r.until() <= now);
        Authentication result = delegate.authenticate(authentication);
        remembered.put(key, new Remembered(result, now + ttlMillis));
        return result;
    }

    private static String key(String name, String password) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest((name + "\u0000" + password).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
