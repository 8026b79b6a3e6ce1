package io.diveteacher.inference;

import java.io.IOException;

import org.springframework.ai.retry.NonTransientAiException;
import org.springframework.ai.retry.TransientAiException;
import org.springframework.web.client.ResourceAccessException;

/**
 * A model call that failed. {@code transientFailure} tells an outage or overload that a retry may cure
 * (connection refused, timeout, HTTP 5xx) from a request the server will always refuse (unknown model).
 */
public class ModelCallException extends RuntimeException {

    private final boolean transientFailure;

    public ModelCallException(String message, boolean transientFailure, Throwable cause) {
        super(message, cause);
        this.transientFailure = transientFailure;
    }

    /**
     * What a failure of Spring AI's client (or of the HTTP below it) means for us: {@code what} failed, and whether
     * trying again may help.
     */
    static ModelCallException from(String what, RuntimeException e) {
        if (e instanceof ModelCallException m) {
            return m;
        }
        boolean transientFailure = !(e instanceof NonTransientAiException) && (e instanceof TransientAiException
                || e instanceof ResourceAccessException || hasCause(e, IOException.class));
        return new ModelCallException(what + " failed: " + e.getMessage(), transientFailure, e);
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    public boolean transientFailure() {
        return transientFailure;
    }
}
