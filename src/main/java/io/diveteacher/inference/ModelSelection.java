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
 * @param embeddingDigest what identifies the embedding model's weights (Ollama's digest), part of every cache key
 * @param chatDigest the same for the chat model
 */
public record ModelSelection(boolean fallback, String reason, String embeddingModel, String chatModel,
        int dimensions, String ollamaVersion, String embeddingDigest, String chatDigest) {

    /** Models whose digests are not known (tests, and models that have no weights to tell apart). */
    public ModelSelection(boolean fallback, String reason, String embeddingModel, String chatModel, int dimensions,
            String ollamaVersion) {
        this(fallback, reason, embeddingModel, chatModel, dimensions, ollamaVersion, "", "");
    }
}
