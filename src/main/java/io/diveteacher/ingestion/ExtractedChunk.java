package io.diveteacher.ingestion;

import io.diveteacher.document.Chunk;
import io.diveteacher.extraction.ExtractedGraph;

/**
 * A chunk with what extraction found in it, on its way to the writer; {@code cached}: no model call was made.
 */
record ExtractedChunk(Chunk chunk, ExtractedGraph extracted, String extractedWith, boolean cached) {
}
