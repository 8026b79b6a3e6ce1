package io.diveteacher.document;

/**
 * A document that cannot be ingested, with a reason a person understands. {@code noText} tells a
 * readable PDF without a text layer (status NO_TEXT) from a broken or protected one (status FAILED).
 */
public class UnreadableDocumentException extends Exception {

    private final boolean noText;

    public UnreadableDocumentException(String reason, boolean noText) {
        super(reason);
        this.noText = noText;
    }

    public UnreadableDocumentException(String reason, Throwable cause) {
        super(reason, cause);
        this.noText = false;
    }

    public boolean noText() {
        return noText;
    }
}
