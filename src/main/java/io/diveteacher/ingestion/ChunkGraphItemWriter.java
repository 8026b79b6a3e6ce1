package io.diveteacher.ingestion;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    private static final Logger log = LoggerFactory.getLogger(ChunkGraphItemWriter.class);

    private final String documentId;
    private final String name;
    private final Embeddings embeddings;
    private final GraphWriter graph;

    ChunkGraphItemWriter(String documentId, String name, Embeddings embeddings, GraphWriter graph) {
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
        List<float[]> vectors = embeddings.embed(chunks.stream().map(c -> c.chunk().text()).toList());
        List<ChunkRecord> records = new ArrayList<>(chunks.size());
        for (int i = 0; i < chunks.size(); i++) {
            ExtractedChunk c = chunks.get(i);
            records.add(new ChunkRecord(documentId, c.chunk(), vectors.get(i), embeddings.model(), c.extracted(),
                    c.extractedWith()));
        }
        graph.write(records);
        // Positions are absolute, so progress reads the same after a restart.
        var last = chunks.getLast().chunk();
        log.info("[{}] {} chunks written, through page {}", name, last.position() + 1, last.pageEnd());
    }
}
