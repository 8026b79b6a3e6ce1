package io.diveteacher.graph;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A Document node as the catalogue shows it.
 *
 * @param incompleteChunks positions of the chunks a PARTIAL document lacks or has only in part
 */
public record StoredDocument(String id, String path, String name, String title, String checksum, long size,
        DocumentStatus status, String reason, Integer pages, long chunks, long entities, long skippedChunks,
        long partialChunks, List<Integer> incompleteChunks, String embeddedWith, String extractedWith,
        OffsetDateTime ingestedAt) {

    /** Already ingested with this content and these models: nothing to do. */
    public boolean upToDate(String checksum, String embeddedWith, String extractedWith) {
        return status != null && status.complete() && sameAs(checksum, embeddedWith, extractedWith);
    }

    /**
     * Ingested with this content and these models but for some chunks: only those are to be extracted again, the
     * rest of the document stays as it is.
     */
    public boolean repairable(String checksum, String embeddedWith, String extractedWith) {
        return status == DocumentStatus.PARTIAL && !incompleteChunks.isEmpty() && sameAs(checksum, embeddedWith, extractedWith);
    }

    private boolean sameAs(String checksum, String embeddedWith, String extractedWith) {
        return checksum.equals(this.checksum) && embeddedWith.equals(this.embeddedWith)
                && extractedWith.equals(this.extractedWith);
    }
}
