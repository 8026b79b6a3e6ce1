package io.diveteacher.ingestion;

import io.diveteacher.graph.DocumentStatus;

import java.util.List;

/** What an ingestion did, as printed by the command line (JSON fields in snake_case). */
public record IngestionSummary(String status, long executionId, List<DocumentResult> documents, Totals totals,
        Models models, long elapsedMs, List<String> errors) {

    /**
     * @param skippedChunks chunks whose extraction stayed unusable (not in the graph yet)
     * @param partialChunks chunks in the graph with only part of what their extraction should have found
     */
    public record DocumentResult(String file, String path, DocumentStatus status, String reason, Integer pages, long chunks,
            long entities, long skippedChunks, long partialChunks) {
    }

    /**
     * @param partial documents ingested but for some chunks, which the next ingestion extracts again
     * @param cachedChunks chunks written by this run whose extraction came from the model result cache
     * @param modelChunks chunks written by this run whose extraction the model made
     * @param modelCalls chat and embedding requests this run made
     * @param slotEfficiency how busy the extractions kept the model's parallel slots (0 to 1); null with none
     */
    public record Totals(int documents, int ingested, int partial, int skipped, int failed, int noText, long chunks,
            long skippedChunks, long partialChunks, long entities, long relationships, long cachedChunks,
            long modelChunks, long modelCalls, Double slotEfficiency) {
    }

    public record Models(String embedding, String extraction, boolean fallback, String fallbackReason) {
    }

    public boolean completed() {
        return "COMPLETED".equals(status);
    }
}
