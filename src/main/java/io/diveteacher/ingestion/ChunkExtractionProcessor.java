package io.diveteacher.ingestion;

import org.springframework.batch.infrastructure.item.ItemProcessor;

import io.diveteacher.document.Chunk;
import io.diveteacher.extraction.EntityExtractor;

/** Extracts entities and relationships from a chunk; runs on several threads at once (see the step). */
class ChunkExtractionProcessor implements ItemProcessor<Chunk, ExtractedChunk> {

    private final EntityExtractor extractor;

    ChunkExtractionProcessor(EntityExtractor extractor) {
        this.extractor = extractor;
    }

    @Override
    public ExtractedChunk process(Chunk chunk) {
        return new ExtractedChunk(chunk, extractor.extract(chunk.text()), extractor.model());
    }
}
