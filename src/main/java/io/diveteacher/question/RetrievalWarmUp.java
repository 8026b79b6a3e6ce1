package io.diveteacher.question;

import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.diveteacher.graph.GraphReady;
import io.diveteacher.graph.GraphRetrieval;

/**
 * Runs the retrieval path a few hundred times as soon as the graph can be queried, on a thread of its own (start-up
 * and requests do not wait for it): the first question after a start then finds the indexes' pages in memory, the
 * queries planned and the code compiled, instead of paying for all of it (about 4 s against 200 ms). The questions
 * are the first words of passages of the graph; a few are embedded by the model (which warms the embedding call, and
 * has Ollama load the embedding model before the first question needs it), the others use the passages' stored
 * embeddings. Only in the web application: a command of the command line asks no question.
 */
@Component
@org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication
@org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(name = "diveteacher.ingestion.worker",
        havingValue = "false", matchIfMissing = true) // a worker answers no question
class RetrievalWarmUp {

    private static final Logger log = LoggerFactory.getLogger(RetrievalWarmUp.class);
    private static final int PASSAGES = 24;
    /**
     * Rounds over the samples. With 3, one start in six or seven here still had its first question at over twice the
     * next ones' time (the compiler threads busy with what the warm-up had just made hot, every stage a little slower);
     * with 12 (about 14 s on 2 cores, off the request path), ten starts out of ten stayed under 1.5 times.
     */
    private static final int ROUNDS = 12;
    /** Questions of the warm-up embedded by the model: a handful of small requests. */
    private static final int EMBEDDED = 3;

    private final Retriever retriever;
    private final GraphRetrieval graph;
    private final QueryProperties properties;

    RetrievalWarmUp(Retriever retriever, GraphRetrieval graph, QueryProperties properties) {
        this.retriever = retriever;
        this.graph = graph;
        this.properties = properties;
    }

    @EventListener
    void graphReady(GraphReady ready) {
        Thread.ofVirtual().name("retrieval-warm-up").start(this::warmUp);
    }

    private void warmUp() {
        long started = System.nanoTime();
        int retrievals = 0;
        try {
            // Every language's fulltext index, and the library's size in it, whatever language the samples are in.
            for (String language : GraphRetrieval.searchLanguages()) {
                graph.fulltext("warm", properties.candidates(), language);
                graph.rarity(Map.of("warm", "warm"), language);
            }
            List<GraphRetrieval.Sample> samples = graph.sample(PASSAGES);
            for (int round = 0; round < ROUNDS && !samples.isEmpty(); round++) {
                for (GraphRetrieval.Sample sample : samples) {
                    // A question-sized piece of the passage: its first words.
                    String question = java.util.Arrays.stream(sample.text().split("\\s+")).limit(12)
                            .collect(java.util.stream.Collectors.joining(" "));
                    if (retrievals < EMBEDDED) {
                        retriever.retrieve(question, properties.defaultTopK());
                    } else {
                        retriever.retrieve(question, sample.embedding(), properties.defaultTopK(), System.nanoTime());
                    }
                    retrievals++;
                }
            }
            log.info("Retrieval warmed up in {} ms ({} retrievals)", (System.nanoTime() - started) / 1_000_000, retrievals);
        } catch (RuntimeException e) {
            // Only a warm-up: the first question pays what it did not do.
            log.warn("Retrieval warm-up stopped: {}", e.getMessage());
        }
    }
}
