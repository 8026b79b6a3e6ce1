package io.diveteacher.graph;

import java.time.OffsetDateTime;

/** A Document node as the catalogue shows it. */
public record StoredDocument(String id, String path, String name, String title, String checksum, long size,
        String status, String reason, Integer pages, long chunks, long entities, long skippedChunks,
        String embeddedWith, String extractedWith, OffsetDateTime ingestedAt) {

    /** Already ingested with this content and these models: nothing to do. */
    public boolean upToDate(String checksum, String embeddedWith, String extractedWith) {
        return ("INGESTED".equals(status) || "NO_TEXT".equals(status)) && checksum.equals(this.checksum)
                && embeddedWith.equals(this.embeddedWith) && extractedWith.equals(this.extractedWith);
    }
}
