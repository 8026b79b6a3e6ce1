package io.diveteacher.document;

import java.util.List;

/**
 * A passage of a document. {@code id} is stable for the same document content and position;
 * {@code pageEnd} equals {@code page} unless the chunk runs onto the next page. {@code pageStarts} says
 * where in {@code text} each page's text begins (the overlap repeated from the previous chunk included),
 * so a citation can name the page of the sentence it quotes rather than the chunk's first page. {@code language} is
 * the passage's ISO 639-1 code ({@link Languages#ofPassage}), detected when the chunk is made: on the thread that
 * reads the document ahead of the ingestion step, not on the step's single chain of commits.
 */
public record Chunk(String id, String text, int page, int pageEnd, int position, int tokens, List<PageStart> pageStarts,
        String language) {

    public Chunk {
        pageStarts = List.copyOf(pageStarts);
    }

    /** A chunk whose language is detected from its text. */
    public Chunk(String id, String text, int page, int pageEnd, int position, int tokens, List<PageStart> pageStarts) {
        this(id, text, page, pageEnd, position, tokens, pageStarts, Languages.ofPassage(text));
    }

    /** Text from {@code offset} on (up to the next entry) is on {@code page}. */
    public record PageStart(int offset, int page) {
    }
}
