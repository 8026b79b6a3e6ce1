package io.diveteacher.question;

/**
 * Watches a streamed answer for {@link #MARKER}, the reply the answer prompt asks the model to give when the context
 * does not contain the answer. The start of the stream is held back while it could still be the marker, so a reader
 * never sees it; anything else is passed on as soon as it differs from the marker. One per answer.
 */
final class NotInTheDocuments {

    /** What the model is told to reply, alone, when the context does not hold the answer (see answer-system.st). */
    static final String MARKER = "NOT_IN_THE_DOCUMENTS";

    /** Everything streamed so far; until it is decided, all of it is held back. */
    private final StringBuilder all = new StringBuilder();
    private boolean decided;
    private boolean marker;

    /** The part of {@code piece} that may be shown now (empty while held back, and for the rest of a marker). */
    String accept(String piece) {
        all.append(piece);
        if (decided) {
            return marker ? "" : piece;
        }
        String start = all.toString().replaceFirst("^[\\s\"'`*_>]+", "");
        int compared = Math.min(start.length(), MARKER.length());
        if (!start.regionMatches(true, 0, MARKER, 0, compared)) {
            decided = true;
            return all.toString();
        }
        if (compared == MARKER.length()) {
            decided = true;
            marker = true;
        }
        return "";
    }

    /** What is still held back once the stream has ended (a reply shorter than the marker). */
    String finish() {
        if (decided) {
            return "";
        }
        decided = true;
        return all.toString();
    }

    /** Whether the model said the context does not hold the answer: it began with the marker, or wrote it at all. */
    boolean said() {
        return marker || all.indexOf(MARKER) >= 0;
    }
}
