package io.diveteacher.ingestion;

import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.infrastructure.item.Chunk;
import org.springframework.batch.infrastructure.item.ItemWriter;

import io.diveteacher.document.Languages;
import io.diveteacher.graph.ChunkVectors;
import io.diveteacher.inference.EmbeddingCache;

/** Embeds a commit interval of chunks with the model in use (one request) and writes their vectors and languages. */
class ReembedWriter implements ItemWriter<ChunkVectors.ChunkText> {

    private static final Logger log = LoggerFactory.getLogger(ReembedWriter.class);

    private final EmbeddingCache embeddings;
    private final ChunkVectors chunks;
    private final String model;
    private final int dimensions;
    private long written;

    ReembedWriter(EmbeddingCache embeddings, ChunkVectors chunks, String model, int dimensions) {
        this.embeddings = embeddings;
        this.chunks = chunks;
        this.model = model;
        this.dimensions = dimensions;
    }

    @Override
    public void write(Chunk<? extends ChunkVectors.ChunkText> items) {
        List<? extends ChunkVectors.ChunkText> texts = items.getItems();
        EmbeddingCache.Vectors made = embeddings.embed(texts.stream().map(ChunkVectors.ChunkText::text).toList(), true);
        if (!made.model().equals(model) || made.vectors().stream().anyMatch(v -> v.length != dimensions)) {
            // The models changed under the job (Ollama came or went): its vectors would not fit the index.
            throw new IllegalStateException("the embedding model in use is now " + made.model() + ", not " + model
                    + " with " + dimensions + " dimensions as this reembed job was started with; run reembed again");
        }
        List<ChunkVectors.ChunkVector> vectors = new ArrayList<>(texts.size());
        for (int i = 0; i < texts.size(); i++) {
            vectors.add(new ChunkVectors.ChunkVector(texts.get(i).id(), made.vectors().get(i),
                    Languages.ofPassage(texts.get(i).text())));
        }
        chunks.write(vectors, model);
        written += texts.size();
        log.info("Re-embedded {} chunks with {} so far ({} of the last {} from the cache)", written, model, made.cached(),
                texts.size());
    }
}
