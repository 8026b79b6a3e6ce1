package io.diveteacher.inference;

/** Published once the models are decided: at start-up, or when Ollama first becomes usable (prod). */
public record ModelsReady(ModelSelection selection) {
}
