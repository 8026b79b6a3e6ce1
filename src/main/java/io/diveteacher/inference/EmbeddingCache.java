package io.diveteacher.inference;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

/**
 * Embeddings by content: texts embedded before by the same model (name and digest) get the stored vectors; the
 * others go to the model in one request and are stored.
 */
@Component
public class EmbeddingCache {

    private final ModelRuntime models;
    private final ModelResults results;

    EmbeddingCache(ModelRuntime models, ModelResults results) {
        this.models = models;
        this.results = results;
    }

    /** Vectors in the order of the texts, the model that made them, and how many came from the cache. */
    public record Vectors(List<float[]> vectors, String model, int cached) {
    }

    /** @param useCache false to embed every text again (the results are stored all the same) */
    public Vectors embed(List<String> texts, boolean useCache) {
        Embeddings embeddings = models.embeddings();
        ModelSelection selection = models.selection();
        String fingerprint = String.join("\n", "embedding", embeddings.model(), selection.embeddingDigest(),
                String.valueOf(selection.dimensions()));
        List<String> keys = texts.stream().map(text -> ModelResults.key(fingerprint, text)).toList();
        Map<String, String> found = useCache ? results.findAll(ModelResults.EMBEDDING, keys) : Map.of();
        // Each distinct missing text once, even when a batch holds it twice.
        Map<String, String> missing = new LinkedHashMap<>();
        for (int i = 0; i < texts.size(); i++) {
            if (!found.containsKey(keys.get(i))) {
                missing.putIfAbsent(keys.get(i), texts.get(i));
            }
        }
        Map<String, float[]> embedded = new LinkedHashMap<>();
        if (!missing.isEmpty()) {
            List<String> order = new ArrayList<>(missing.keySet());
            List<float[]> vectors = embeddings.embed(List.copyOf(missing.values()));
            for (int i = 0; i < order.size(); i++) {
                embedded.put(order.get(i), vectors.get(i));
                float[] vector = vectors.get(i);
                results.putLater(ModelResults.EMBEDDING, order.get(i), () -> ModelResults.encode(vector));
            }
        }
        List<float[]> vectors = new ArrayList<>(texts.size());
        int cached = 0;
        for (String key : keys) {
            float[] vector = embedded.get(key);
            if (vector == null) {
                vector = ModelResults.decode(found.get(key));
                cached++;
            }
            vectors.add(vector);
        }
        return new Vectors(vectors, embeddings.model(), cached);
    }
}
