package io.diveteacher.ingestion;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

import io.diveteacher.document.Chunk;
import io.diveteacher.inference.EmbeddingCache;
import io.diveteacher.inference.ModelCallException;

/**
 * Embeds the chunks a partition reads ahead, a batch (a commit interval) per request on the embedding threads, so
 * that when the step writes an interval its vectors are already made: the step's thread is the one thread that
 * writes a document, and a request made there would hold up every later commit of the document. The embedding model
 * has its own parallel slots on the server, so these requests never take one from extraction.
 * <p>
 * A batch that failed (Ollama down, say) is embedded again on the step's thread when the writer asks for it, where
 * the failure reaches the step's retry policy as it did before. Used by one step's thread only, except for the
 * futures, which the embedding threads complete.
 */
class ChunkEmbeddings {

    private final EmbeddingCache embeddings;
    private final boolean useCache;
    private final int batchSize;
    private final Executor executor;
    private final Map<Integer, CompletableFuture<Embedded>> made = new ConcurrentHashMap<>();
    /** Chunks read ahead and not yet sent: the next batch. */
    private final List<Chunk> batch = new ArrayList<>();

    private record Embedded(float[] vector, String model) {
    }

    /** Vectors in the order of the chunks asked for, and the model that made them. */
    record Vectors(List<float[]> vectors, String model) {
    }

    ChunkEmbeddings(EmbeddingCache embeddings, boolean useCache, int batchSize, Executor executor) {
        this.embeddings = embeddings;
        this.useCache = useCache;
        this.batchSize = batchSize;
        this.executor = executor;
    }

    /** A chunk read ahead of the step: it joins the next batch, which is sent once it is full. */
    void ahead(Chunk chunk) {
        batch.add(chunk);
        if (batch.size() >= batchSize) {
            send();
        }
    }

    private void send() {
        List<Chunk> sent = List.copyOf(batch);
        batch.clear();
        List<String> texts = sent.stream().map(Chunk::text).toList();
        CompletableFuture<EmbeddingCache.Vectors> request = CompletableFuture.supplyAsync(
                () -> embeddings.embed(texts, useCache), executor);
        for (int i = 0; i < sent.size(); i++) {
            int index = i;
            made.put(sent.get(i).position(),
                    request.thenApply(v -> new Embedded(v.vectors().get(index), v.model())));
        }
    }

    /** The chunks' vectors, in their order, and the model that made them; waits for the batches under way. */
    Vectors vectors(List<Chunk> chunks) {
        if (chunks.stream().anyMatch(batch::contains)) {
            send(); // the document's last chunks: no fuller batch is coming
        }
        float[][] vectors = new float[chunks.size()][];
        String model = null;
        List<Integer> again = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            CompletableFuture<Embedded> future = made.remove(chunks.get(i).position());
            Embedded embedded = future == null ? null : await(future);
            if (embedded == null) {
                again.add(i); // a retried chunk, or its batch failed
            } else {
                vectors[i] = embedded.vector();
                model = embedded.model();
            }
        }
        if (!again.isEmpty()) {
            EmbeddingCache.Vectors redone = embeddings.embed(again.stream().map(i -> chunks.get(i).text()).toList(),
                    useCache);
            for (int j = 0; j < again.size(); j++) {
                vectors[again.get(j)] = redone.vectors().get(j);
            }
            model = redone.model();
        }
        return new Vectors(List.of(vectors), model);
    }

    private static Embedded await(CompletableFuture<Embedded> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ModelCallException("interrupted while waiting for embeddings", true, e);
        }
    }

    /** Forgets the batches under way: the step has ended and will not write them. */
    void cancel() {
        batch.clear();
        made.values().forEach(f -> f.cancel(true));
        made.clear();
    }
}
