package io.diveteacher.inference;

/**
 * Which models this process uses, once they are decided (see {@link ModelRuntime}).
 *
 * @param fallback true when the in-process models stand in for Ollama
 * @param reason why the fallback is in use (null when it is not)
 * @param embeddingModel name of the embedding model
 * @param chatModel name of the model that extracts entities and writes answers
 * @param dimensions length of the embedding vectors
 * @param ollamaVersion version reported by Ollama, null when unreachable
 */
public record ModelSelection(boolean fallback, String reason, String embeddingModel, String chatModel,
        int dimensions, String ollamaVersion) {
}
