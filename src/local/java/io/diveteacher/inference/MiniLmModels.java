package io.diveteacher.inference;

import java.util.List;

import org.springframework.stereotype.Component;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;

/**
 * The in-process fallback embeddings: all-MiniLM-L6-v2 (quantised) through ONNX Runtime, model and
 * tokenizer inside a Maven jar, fully offline. Loaded on first use only, so runs with Ollama never pay
 * for it. Local build only.
 */
@Component
class MiniLmModels implements LocalModels {

    private static final int DIMENSIONS = 384;

    private volatile AllMiniLmL6V2QuantizedEmbeddingModel model;

    @Override
    public Embeddings embeddings() {
        return new Embeddings() {
            @Override
            public List<float[]> embed(List<String> texts) {
                List<TextSegment> segments = texts.stream().map(TextSegment::from).toList();
                return loadedModel().embedAll(segments).content().stream().map(e -> e.vector()).toList();
            }

            @Override
            public String model() {
                return "all-MiniLM-L6-v2 (in-process)";
            }

            @Override
            public int dimensions() {
                return DIMENSIONS;
            }
        };
    }

    private AllMiniLmL6V2QuantizedEmbeddingModel loadedModel() {
        AllMiniLmL6V2QuantizedEmbeddingModel loaded = model;
        if (loaded == null) {
            synchronized (this) {
                if (model == null) {
                    model = new AllMiniLmL6V2QuantizedEmbeddingModel();
                }
                loaded = model;
            }
        }
        return loaded;
    }
}
