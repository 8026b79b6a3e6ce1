package io.diveteacher.inference;

import java.util.List;

import org.springframework.ai.embedding.EmbeddingModel;

/** Ollama's embedding model through Spring AI, refusing vectors of another length than the index holds. */
record OllamaEmbeddings(EmbeddingModel embeddingModel, String model, int dimensions) implements Embeddings {

    @Override
    public List<float[]> embed(List<String> texts) {
        List<float[]> vectors = embeddingModel.embed(texts);
        for (float[] vector : vectors) {
            if (vector.length != dimensions) {
                throw new ModelCallException("embedding model " + model + " returned " + vector.length
                        + " dimensions, expected " + dimensions, false, null);
            }
        }
        return vectors;
    }
}
