package io.diveteacher.ingestion;

import io.diveteacher.document.Chunk;
import io.diveteacher.extraction.ExtractedGraph;

/**
 * A chunk with what extraction found in it, on its way to the writer; {@code cached}: no model call was made;
 * {@code language}: the ISO 639-1 code of the language it is written in ({@code und} when unclear).
 */
record ExtractedChunk(Chunk chunk, ExtractedGraph extracted, String extractedWith, boolean cached, String language) {
}
