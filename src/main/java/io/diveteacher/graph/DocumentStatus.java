package io.diveteacher.graph;

/**
 * Where a document stands. The first six are kept on its node; {@link #SKIPPED} and {@link #DELETED} only describe a
 * document within one run (unchanged since the last ingestion; gone from the graph since the run began).
 */
public enum DocumentStatus {
    PENDING, INGESTING, INGESTED, PARTIAL, FAILED, NO_TEXT, SKIPPED, DELETED;

    /** The statuses a document node can have. */
    public static final java.util.List<DocumentStatus> STORED = java.util.List.of(INGESTED, PARTIAL, FAILED, NO_TEXT,
            PENDING, INGESTING);

    /** Nothing is left to do for this content: ingested whole, or read and found to hold no text. */
    public boolean complete() {
        return this == INGESTED || this == NO_TEXT;
    }

    /** Read to its end by its run, whether or not every chunk could be extracted. */
    public boolean finished() {
        return complete() || this == PARTIAL;
    }

    /** The status stored on a node; null for none. */
    static DocumentStatus of(String stored) {
        return stored == null ? null : valueOf(stored);
    }
}
