package io.diveteacher.question;

import java.util.List;

/**
 * The answer to a question, as {@code POST /api/query} returns it. {@code model} names what produced the
 * text: the Ollama model, the extractive fallback, or nothing when no passage was relevant.
 * {@code standaloneQuestion} is the question as it was understood from the conversation's {@code history} (what
 * was searched and answered); null without history. {@code closest} is empty unless the documents do not say:
 * then {@code sources} is empty and {@code closest} holds the passages that came nearest.
 */
public record Answer(String answer, List<Source> sources, int numSources, List<EntityRef> entities, String model,
        Timings timings, String standaloneQuestion, List<Source> closest) {

    public Answer(String answer, List<Source> sources, int numSources, List<EntityRef> entities, String model,
            Timings timings) {
        this(answer, sources, numSources, entities, model, timings, null, List.of());
    }

    Answer understoodAs(String question) {
        return new Answer(answer, sources, numSources, entities, model, timings, question, closest);
    }

    /** The standard "the documents do not say" answer: no sources, the passages that came nearest as closest. */
    static Answer notInTheDocuments(String text, List<Source> closest, String model, Timings timings) {
        return new Answer(text, List.of(), 0, List.of(), model, timings, null, List.copyOf(closest));
    }

    /** An entity the sources mention. */
    public record EntityRef(String name, String type) {
    }

    /**
     * Where the time went. {@code evalTokens} and {@code tokensPerSecond} are Ollama's own figures for this
     * answer ({@code eval_count}, {@code eval_duration}); null when no model generated it.
     */
    public record Timings(long retrievalMs, long generationMs, Integer evalTokens, Double tokensPerSecond) {
    }
}
