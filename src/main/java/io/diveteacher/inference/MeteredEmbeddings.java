package io.diveteacher.inference;

import java.util.List;

/** An embedding model's calls bounded by the parallel slots, timed, counted, and their failures translated. */
final class MeteredEmbeddings implements Embeddings {

    private final Embeddings delegate;
    private final ModelSlots slots;
    private final ModelMetrics metrics;

    MeteredEmbeddings(Embeddings delegate, ModelSlots slots, ModelMetrics metrics) {
        this.delegate = delegate;
        this.slots = slots;
        this.metrics = metrics;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
        if (texts.isEmpty()) {
            return List.of();
        }
        return slots.call(() -> {
            metrics.called();
            long started = System.nanoTime();
            try {
                List<float[]> vectors = delegate.embed(texts);
                metrics.record("embedding", delegate.model(), "success", started);
                return vectors;
            } catch (RuntimeException e) {
                metrics.record("embedding", delegate.model(), "error", started);
                throw ModelCallException.from("embedding with " + delegate.model(), e);
            }
        });
    }

    @Override
    public String model() {
        return delegate.model();
    }

    @Override
    public int dimensions() {
        return delegate.dimensions();
    }
}
