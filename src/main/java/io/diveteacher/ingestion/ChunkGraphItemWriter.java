package io.diveteacher.ingestion;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

import io.diveteacher.graph.ChunkRecord;
import io.diveteacher.graph.GraphWriter;
import io.diveteacher.inference.EmbeddingCache;

/**
 * Embeds a commit interval of chunks in one embedding request (Ollama's /api/embed takes many inputs; texts embedded
 * before by the same model come from the cache) and writes them to Neo4j in one transaction. The embedding runs on
 * the partition's own thread, with the embedding model's own slots, so it never takes a slot from extraction.
 */
class ChunkGraphItemWriter implements ItemWriter<ExtractedChunk> {

    private static final Logger log = LoggerFactory.getLogger(ChunkGraphItemWriter.class);

    private final String documentId;
    private final String name;
    private final EmbeddingCache embeddings;
    private final boolean useCache;
    private final GraphWriter graph;

    ChunkGraphItemWriter(String documentId, String name, EmbeddingCache embeddings, boolean useCache, GraphWriter graph) {
        this.documentId = documentId;
        this.name = name;
        this.embeddings = embeddings;
        this.useCache = useCache;
        this.graph = graph;
    }

    @Override
    public void write(Chunk<? extends ExtractedChunk> items) {
        List<? extends ExtractedChunk> chunks = items.getItems();
        if (chunks.isEmpty()) {
            return; // every chunk of this commit interval was skipped
        }
        EmbeddingCache.Vectors embedded = embeddings.embed(chunks.stream().map(c -> c.chunk().text()).toList(), useCache);
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
