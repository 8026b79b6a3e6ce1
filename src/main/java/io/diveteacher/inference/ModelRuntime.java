package io.diveteacher.inference;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * The models this process uses, once they are decided ({@link ModelDecision} decides them at start-up, or later
 * when Ollama first becomes usable), and why there are none until then. Ready models are announced with
 * {@link ModelsReady}.
 */
@Component
public class ModelRuntime {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ModelRuntime.class);

    private final ModelMetrics metrics;
    private final ApplicationEventPublisher events;
    private final OllamaStatusClient status;
    private final Embeddings embeddings = new CurrentEmbeddings();
    private volatile Models models;
    private volatile String unavailable = "the models are being decided";
    private volatile boolean pulling;

    /** The models in use once decided: what they are and the embedding model to call. */
    record Models(ModelSelection selection, Embeddings embeddings) {
    }

    ModelRuntime(ModelMetrics metrics, ApplicationEventPublisher events, OllamaStatusClient status) {
        this.metrics = metrics;
        this.events = events;
        this.status = status;
    }

    /**
     * The models in use, with their digests asked of Ollama again: a model pulled again under the same name (new
     * weights) gets a new digest, so the results cached for the old weights are no longer used. Called when a job
     * starts; when Ollama cannot tell, the digests known so far stay.
     */
    public ModelSelection refreshDigests() {
        Models current = ready();
        ModelSelection selection = current.selection();
        if (selection.fallback()) {
            return selection;
        }
        OllamaStatus now = status.status();
        String embedding = now.digest(selection.embeddingModel());
        String chat = now.digest(selection.chatModel());
        if (!now.reachable() || embedding.isEmpty() || chat.isEmpty()
                || embedding.equals(selection.embeddingDigest()) && chat.equals(selection.chatDigest())) {
            return selection;
        }
        log.info("The models' digests changed (embeddings {} → {}, chat {} → {}): results cached for the old weights "
                + "are not used", abbreviate(selection.embeddingDigest()), abbreviate(embedding),
                abbreviate(selection.chatDigest()), abbreviate(chat));
        ModelSelection refreshed = new ModelSelection(false, null, selection.embeddingModel(), selection.chatModel(),
                selection.dimensions(), now.version(), embedding, chat);
        models = new Models(refreshed, current.embeddings());
        return refreshed;
    }

    private static String abbreviate(String digest) {
        return digest.length() > 12 ? digest.substring(0, 12) : digest;
    }

    void ready(Models ready) {
        models = ready;
        unavailable = null;
        // The listeners (the graph's schema) run before anyone waiting for the models goes on.
        events.publishEvent(new ModelsReady(ready.selection()));
        synchronized (this) {
            pulling = false;
            notifyAll();
        }
    }

    /** No models (yet): why, and whether a pull of missing models is under way. */
    synchronized void unavailable(String reason, boolean pullUnderWay) {
        unavailable = reason;
        pulling = pullUnderWay;
        notifyAll();
    }

    boolean decided() {
        return models != null;
    }

    /** The models in use; fails with a transient {@link ModelCallException} while Ollama is not usable yet. */
    public ModelSelection selection() {
        return ready().selection();
    }

    /**
     * The models in use, waiting while a pull of missing models runs (at most {@code limit}): what a command of the
     * command line needs before it can start.
     */
    public ModelSelection awaitSelection(Duration limit) {
        long deadline = System.nanoTime() + limit.toNanos();
        synchronized (this) {
            while (pulling && System.nanoTime() < deadline) {
                try {
                    wait(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        return selection();
    }

    /** The models in use, or empty while Ollama is not usable yet ({@link #unavailableReason()} says why). */
    public Optional<ModelSelection> currentSelection() {
        Models current = models;
        return current == null ? Optional.empty() : Optional.of(current.selection());
    }

    /** Why no models are ready, or null when they are. */
    public String unavailableReason() {
        return models == null ? unavailable : null;
    }

    private Models ready() {
        Models current = models;
        if (current == null) {
            throw new ModelCallException(unavailable, true, null);
        }
        return current;
    }

    /** The embedding model in use (calls fail while no model is ready). */
    public Embeddings embeddings() {
        return embeddings;
    }

    /** Model calls made by this process so far (chat and embedding requests). */
    public long modelCalls() {
        return metrics.calls();
    }

    /** The embedding model of whichever models are in use, looked up at each call. */
    private final class CurrentEmbeddings implements Embeddings {
        @Override
        public List<float[]> embed(List<String> texts) {
            return ready().embeddings().embed(texts);
        }

        @Override
        public String model() {
            return ready().embeddings().model();
        }

        @Override
        public int dimensions() {
            return ready().embeddings().dimensions();
        }
    }
}
