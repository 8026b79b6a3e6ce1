package io.diveteacher.graph;

import io.diveteacher.document.Chunk;
import io.diveteacher.extraction.ExtractedGraph;

/**
 * One chunk ready for the graph: its text, embedding, extracted entities, the models that made them and the
 * language it is written in (an ISO 639-1 code, or {@code und}).
 */
public record ChunkRecord(String documentId, Chunk chunk, float[] embedding, String embeddedWith,
        ExtractedGraph extracted, String extractedWith, String language) {
}
