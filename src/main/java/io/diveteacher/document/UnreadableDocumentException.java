package io.diveteacher.document;

/**
 * A document that cannot be ingested (broken, protected, empty or unreadable: status FAILED), with a reason a
 * person understands. A readable PDF without a text layer is not one: the chunk reader tells it apart (NO_TEXT).
 */
public class UnreadableDocumentException extends Exception {

    public UnreadableDocumentException(String reason) {
        super(reason);
    }

    public UnreadableDocumentException(String reason, Throwable cause) {
        super(reason, cause);
    }
}
