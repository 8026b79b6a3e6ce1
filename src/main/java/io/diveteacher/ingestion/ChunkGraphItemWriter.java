package io.diveteacher.ingestion;

import java.util.ArrayList;
import java.util.List;

import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

import io.diveteacher.graph.ChunkRecord;
import io.diveteacher.graph.GraphWriter;
import io.diveteacher.inference.Embeddings;

/**
 * Embeds a commit interval of chunks in one embedding request (Ollama's /api/embed takes many inputs) and
 * writes them to Neo4j in one transaction.
 */
class ChunkGraphItemWriter implements ItemWriter<ExtractedChunk> {

    private final String documentId;
    private final Embeddings embeddings;
    private final GraphWriter graph;

    ChunkGraphItemWriter(String documentId, Embeddings embeddings, GraphWriter graph) {
        this.documentId = documentId;
        this.embeddings = embeddings;
        this.graph = graph;
    }

    @Override
    public void write(Chunk<? extends ExtractedChunk> items) {
        List<? extends ExtractedChunk> chunks = items.getItems();
        List<float[]> vectors = embeddings.embed(chunks.stream().map(c -> c.chunk().text()).toList());
        List<ChunkRecord> records = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            ExtractedChunk c = chunks.get(i);
            records.add(new ChunkRecord(documentId, c.chunk(), vectors.get(i), embeddings.model(), c.extracted(),
                    c.extractedWith()));
        }
        graph.write(records);
    }
}
