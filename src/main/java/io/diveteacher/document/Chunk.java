package io.diveteacher.document;

import java.util.List;

/**
 * A passage of a document. {@code id} is stable for the same document content and position;
 * {@code pageEnd} equals {@code page} unless the chunk runs onto the next page. {@code pageStarts} says
 * where in {@code text} each page's text begins (the overlap repeated from the previous chunk included),
 * so a citation can name the page of the sentence it quotes rather than the chunk's first page.
 */
public record Chunk(String id, String text, int page, int pageEnd, int position, int tokens, List<PageStart> pageStarts) {

    public Chunk {
        pageStarts = List.copyOf(pageStarts);
    }

    /** Text from {@code offset} on (up to the next entry) is on {@code page}. */
    public record PageStart(int offset, int page) {
    }
}
