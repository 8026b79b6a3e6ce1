package io.diveteacher.graph;

import java.util.List;

/**
 * How the ingestion of one document ended: status (INGESTED, PARTIAL, FAILED, NO_TEXT), reason and metadata.
 *
 * @param skippedChunks chunks whose extraction stayed unusable: not in the graph yet
 * @param partialChunks chunks in the graph with what could be parsed of a cut-off extraction answer
 * @param incompleteChunks the positions of both kinds, which the next ingestion extracts again
 */
public record DocumentOutcome(DocumentStatus status, String reason, String title, String author, Integer pages,
        long skippedChunks, long partialChunks, List<Integer> incompleteChunks) {

    /** An outcome without incomplete chunks. */
    public DocumentOutcome(DocumentStatus status, String reason, String title, String author, Integer pages) {
        this(status, reason, title, author, pages, 0, 0, List.of());
    }
}
