package io.diveteacher.question;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;
import org.hibernate.validator.constraints.Range;
import org.springframework.validation.annotation.Validated;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Retrieval and answer settings ({@code diveteacher.query.*}). Tune them with the {@code evaluate} command.
 *
 * @param defaultTopK sources given to the model when a request does not say ({@code top_k}, 1 to 50)
 * @param candidates hits taken from each search (vector and fulltext) before fusion
 * @param rrfK the constant of reciprocal rank fusion: 1 / (k + rank); larger flattens the ranks
 * @param minSimilarity cosine similarity between question and passage from which a vector hit counts as relevant;
 *        unset, 0.5 with Ollama's embedding models and 0.25 with the in-process fallback (all-MiniLM-L6-v2 scores
 *        lower across the board)
 * @param minTermCoverage share of the question's content words a passage must contain to count as relevant
 *        without reaching {@code minSimilarity}
 * @param expansionSeeds best passages whose entities are followed through the graph
 * @param expansionWeight score of a passage reached through the graph, as a share of the score of the
 *        passage it was reached from
 * @param maxFacts relationships offered to the model as facts
 * @param maxEntities entities listed with an answer
 * @param answerTokens most tokens an answer may have ({@code num_predict}); reserved out of {@code num_ctx}
 * @param temperature sampling temperature of answers
 * @param excerptChars length of the excerpt shown with each source
 * @param streamTimeout how long a streamed answer may take before the stream is closed
 * @param maxWaiting questions that may wait for a model slot besides those being answered; beyond them a question
 *        is refused at once with 503 and {@code Retry-After}. Unset: twice {@code OLLAMA_NUM_PARALLEL}
 * @param minSpecificCoverage share of the question's rarity-weighted words (see {@link RelevanceGate}) one chosen
 *        passage must hold, besides all its numbers and names, for the question to be answered at all; 0 turns the
 *        gate off
 */
@ConfigurationProperties("diveteacher.query")
@Validated
record QueryProperties(
        @Range(min = 1, max = MAX_TOP_K, message = "diveteacher.query.default-top-k must be between 1 and 50, was ${validatedValue}")
        @DefaultValue("8") int defaultTopK,
        @Positive(message = "diveteacher.query.candidates must be positive") @DefaultValue("30") int candidates,
        @Positive(message = "diveteacher.query.rrf-k must be positive") @DefaultValue("20") int rrfK,
        @DecimalMin(value = "-1", message = "diveteacher.query.min-similarity must be in [-1, 1]")
        @DecimalMax(value = "1", message = "diveteacher.query.min-similarity must be in [-1, 1]") Double minSimilarity,
        @DecimalMin(value = "0", message = "diveteacher.query.min-term-coverage must be in [0, 1]")
        @DecimalMax(value = "1", message = "diveteacher.query.min-term-coverage must be in [0, 1]")
        @DefaultValue("0.4") double minTermCoverage,
        @PositiveOrZero(message = "diveteacher.query.expansion-seeds must not be negative") @DefaultValue("3") int expansionSeeds,
        @DecimalMin(value = "0", message = "diveteacher.query.expansion-weight must be in [0, 1]")
        @DecimalMax(value = "1", message = "diveteacher.query.expansion-weight must be in [0, 1]")
        @DefaultValue("0.5") double expansionWeight,
        @PositiveOrZero(message = "diveteacher.query.max-facts must not be negative") @DefaultValue("20") int maxFacts,
        @PositiveOrZero(message = "diveteacher.query.max-entities must not be negative") @DefaultValue("12") int maxEntities,
        @Min(value = 64, message = "diveteacher.query.answer-tokens must be at least 64, was ${validatedValue}")
        @DefaultValue("1024") int answerTokens,
        @DefaultValue("0.1") double temperature,
        @DefaultValue("300") int excerptChars,
        @DefaultValue("5m") Duration streamTimeout,
        @PositiveOrZero(message = "diveteacher.query.max-waiting must not be negative, was ${validatedValue}")
        Integer maxWaiting,
        @DecimalMin(value = "0", message = "diveteacher.query.min-specific-coverage must be in [0, 1]")
        @DecimalMax(value = "1", message = "diveteacher.query.min-specific-coverage must be in [0, 1]")
        @DefaultValue("0.5") double minSpecificCoverage) {

    static final int MAX_TOP_K = 50;
    static final double OLLAMA_MIN_SIMILARITY = 0.5;
    static final double FALLBACK_MIN_SIMILARITY = 0.25;
    static final int MAX_QUESTION_CHARS = 2000;
    /** Turns of a conversation a follow-up may bring ({@code history}), and the length of each turn's answer. */
    static final int MAX_HISTORY_TURNS = 8;
    static final int MAX_HISTORY_ANSWER_CHARS = 4000;

    /** Questions that may wait for one of {@code slots} model slots. */
    int maxWaiting(int slots) {
        return maxWaiting != null ? maxWaiting : 2 * slots;
    }

    /** The similarity threshold for the embedding model in use. */
    double minSimilarity(boolean fallback) {
        if (minSimilarity != null) {
            return minSimilarity;
        }
        return fallback ? FALLBACK_MIN_SIMILARITY : OLLAMA_MIN_SIMILARITY;
    }
}
