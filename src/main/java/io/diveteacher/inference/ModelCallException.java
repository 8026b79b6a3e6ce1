package io.diveteacher.inference;

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

    public boolean transientFailure() {
        return transientFailure;
    }
}
