package io.diveteacher.graph;

import io.diveteacher.document.Chunk;
import io.diveteacher.extraction.ExtractedGraph;

/**
 * One chunk ready for the graph: its text (and language), embedding, extracted entities and the models that made
 * them.
 */
public record ChunkRecord(String documentId, Chunk chunk, float[] embedding, String embeddedWith,
        ExtractedGraph extracted, String extractedWith) {
}
