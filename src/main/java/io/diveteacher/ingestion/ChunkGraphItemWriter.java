package io.diveteacher.ingestion;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

import io.diveteacher.graph.ChunkRecord;
import io.diveteacher.graph.GraphWriter;

/**
 * Writes a commit interval of chunks to Neo4j in one transaction, with the vectors {@link ChunkEmbeddings} made for
 * them while they waited to be written.
 */
class ChunkGraphItemWriter implements ItemWriter<ExtractedChunk> {

    private static final Logger log = LoggerFactory.getLogger(ChunkGraphItemWriter.class);

    private final String documentId;
    private final String name;
    private final ChunkEmbeddings embeddings;
    private final GraphWriter graph;

    ChunkGraphItemWriter(String documentId, String name, ChunkEmbeddings embeddings, GraphWriter graph) {
        this.documentId = documentId;
        this.name = name;
        this.embeddings = embeddings;
        this.graph = graph;
    }

    @Override
    public void write(Chunk<? extends ExtractedChunk> items) {
        List<? extends ExtractedChunk> chunks = items.getItems();
        if (chunks.isEmpty()) {
            return; // every chunk of this commit interval was skipped
        }
        ChunkEmbeddings.Vectors embedded = embeddings.vectors(chunks.stream().map(ExtractedChunk::chunk).toList());
        List<float[]> vectors = embedded.vectors();
        List<ChunkRecord> records = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            ExtractedChunk c = chunks.get(i);
            records.add(new ChunkRecord(documentId, c.chunk(), vectors.get(i), embedded.model(), c.extracted(),
                    c.extractedWith()));
        }
        graph.write(records);
        // Positions are absolute, so progress reads the same after a restart.
        var last = chunks.getLast().chunk();
        log.info("[{}] {} chunks written, through page {}", name, last.position() + 1, last.pageEnd());
    }
}
