package io.diveteacher.graph;

/** How the ingestion of one document ended: status (INGESTED, FAILED, NO_TEXT), reason and metadata. */
public record DocumentOutcome(String status, String reason, String title, String author, Integer pages,
        long skippedChunks) {
}
