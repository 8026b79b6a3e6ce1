package io.diveteacher.document;

/**
 * A passage of a document. {@code id} is stable for the same document content and position;
 * {@code pageEnd} equals {@code page} unless the chunk runs onto the next page.
 */
public record Chunk(String id, String text, int page, int pageEnd, int position, int tokens) {
}
