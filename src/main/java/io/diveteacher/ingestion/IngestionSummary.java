package io.diveteacher.ingestion;

import java.util.List;

/** What an ingestion did, as printed by the command line (JSON fields in snake_case). */
public record IngestionSummary(String status, long executionId, List<DocumentResult> documents, Totals totals,
        Models models, long elapsedMs, List<String> errors) {

    public record DocumentResult(String file, String path, String status, String reason, Integer pages, long chunks,
            long entities, long skippedChunks) {
    }

    public record Totals(int documents, int ingested, int skipped, int failed, int noText, long chunks, long entities,
            long relationships, long modelCalls) {
    }

    public record Models(String embedding, String extraction, boolean fallback, String fallbackReason) {
    }

    public boolean completed() {
        return "COMPLETED".equals(status);
    }
}
