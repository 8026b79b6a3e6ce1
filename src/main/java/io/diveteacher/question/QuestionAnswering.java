package io.diveteacher.question;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.diveteacher.inference.ModelChat;
import io.diveteacher.inference.ModelRuntime;
import io.diveteacher.inference.StreamedReply;

/**
 * Answers a question: retrieval, then generation through Ollama from the numbered context (or the extractive
 * fallback), with citations checked against the sources as the text streams. When nothing relevant is found
 * the answer says so and no generation model is called.
 */
@Service
public class QuestionAnswering {

    static final String NOTHING_FOUND = "The documents do not say: nothing in them matches the question closely enough.";
    static final String NOT_ANSWERED = "The documents do not say: the passages closest to the question do not answer it.";
    static final String NOTHING_FOUND_FR = "Les documents ne le disent pas : rien n'y correspond d'assez près à la question.";
    static final String NOT_ANSWERED_FR = "Les documents ne le disent pas : les passages les plus proches de la question "
            + "n'y répondent pas.";
    /** The standard "the documents do not say" answers by the question's language; English for the others. */
    private static final Map<String, String> NOTHING_FOUND_IN = Map.of("fr", NOTHING_FOUND_FR);
    private static final Map<String, String> NOT_ANSWERED_IN = Map.of("fr", NOT_ANSWERED_FR);
    static final String NO_MODEL = "none (nothing relevant was found, so no model was asked)";
    private static final int RECENT = 20;

    private static final Logger log = LoggerFactory.getLogger(QuestionAnswering.class);

    private final Retriever retriever;
    private final FollowUp followUp;
    private final AnswerPrompt prompt;
    private final ModelRuntime models;
    private final ModelChat chat;
    private final QueryProperties properties;
    private final MeterRegistry meters;
    private final Deque<AnswerSpeed> recent = new ArrayDeque<>();

    QuestionAnswering(Retriever retriever, FollowUp followUp, AnswerPrompt prompt, ModelRuntime models, ModelChat chat,
            QueryProperties properties, MeterRegistry meters) {
        this.followUp = followUp;
        this.chat = chat;
        this.meters = meters;
        this.retriever = retriever;
        this.prompt = prompt;
        this.models = models;
        this.properties = properties;
    }

    /** Receives an answer as it is made: the sources first, then the text piece by piece. */
    interface Listener {
        Listener NONE = new Listener() {
        };

        default void sources(List<Source> sources) {
        }

        default void token(String text) {
        }
    }

    Answer answer(String question, int topK, Listener listener) {
        return answer(question, List.of(), topK, listener);
    }

    /**
     * Answers {@code question} as a follow-up of {@code history} (oldest turn first): it is first made a standalone
     * question, which is what is searched and answered.
     */
    Answer answer(String question, List<QueryRequest.Turn> history, int topK, Listener listener) {
        long started = System.nanoTime();
        String outcome = "error";
        try {
            String standalone = followUp.standalone(question, history);
            if (!history.isEmpty()) {
                log.debug("Follow-up \"{}\" understood as \"{}\"", question, standalone);
            }
            Answer answer = answerTimed(standalone, topK, listener);
            if (!history.isEmpty()) {
                answer = answer.understoodAs(standalone);
            }
            outcome = answer.numSources() == 0 ? "nothing-found" : "answered";
            if (answer.numSources() > 0) {
                remember(answer);
            }
            return answer;
        } finally {
            Timer.builder("diveteacher.query").description("questions answered, retrieval and generation")
                    .tag("outcome", outcome).register(meters).record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    private Answer answerTimed(String question, int topK, Listener listener) {
        RetrievedContext context = retriever.retrieve(question, topK);
        List<Source> sources = context.sources();
        listener.sources(sources);
        long started = System.nanoTime();
        // The language the retriever detected, and searched the question with.
        String language = context.terms().language();
        if (context.empty()) {
            String nothingFound = NOTHING_FOUND_IN.getOrDefault(language, NOTHING_FOUND);
            listener.token(nothingFound);
            return Answer.notInTheDocuments(nothingFound, context.closest(), NO_MODEL,
                    new Answer.Timings(context.retrievalMs(), 0, null, null));
        }
        Citations citations = new Citations(sources.size());
        if (models.selection().fallback()) {
            for (String sentence : ExtractiveAnswer.sentences(context)) {
                emit(listener, citations.accept(sentence));
            }
            emit(listener, citations.finish());
            return new Answer(citations.answer(), sources, sources.size(), context.entities(), ExtractiveAnswer.MODEL,
                    new Answer.Timings(context.retrievalMs(), elapsedMs(started), null, null));
        }
        NotInTheDocuments marker = new NotInTheDocuments();
        StreamedReply reply = chat.stream(prompt.system(), prompt.user(question, context), properties.answerTokens(),
                properties.temperature(), piece -> emit(listener, citations.accept(marker.accept(piece))));
        emit(listener, citations.accept(marker.finish()));
        emit(listener, citations.finish());
        if (reply.truncated()) {
            log.warn("The answer was cut at {} tokens (diveteacher.query.answer-tokens)", properties.answerTokens());
        }
        double speed = Math.round(reply.tokensPerSecond() * 10) / 10.0;
        var timings = new Answer.Timings(context.retrievalMs(), elapsedMs(started), reply.evalCount(), speed);
        if (marker.said()) {
            log.debug("The model found no answer to \"{}\" in the context", question);
            return Answer.notInTheDocuments(NOT_ANSWERED_IN.getOrDefault(language, NOT_ANSWERED), sources,
                    models.selection().chatModel(), timings);
        }
        return new Answer(citations.answer(), sources, sources.size(), context.entities(), models.selection().chatModel(),
                timings);
    }

    /** How fast an answer was made, for the system page. */
    public record AnswerSpeed(Instant at, String model, Integer evalTokens, Double tokensPerSecond, long retrievalMs,
            long generationMs) {
    }

    /** The most recent answers made from sources (not the "do not say" ones), newest first. */
    public List<AnswerSpeed> recentAnswers() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    private void remember(Answer answer) {
        var t = answer.timings();
        synchronized (recent) {
            recent.addFirst(new AnswerSpeed(Instant.now(), answer.model(), t.evalTokens(), t.tokensPerSecond(),
                    t.retrievalMs(), t.generationMs()));
            while (recent.size() > RECENT) {
                recent.removeLast();
            }
        }
    }

    int topK(Integer requested) {
        return requested == null ? properties.defaultTopK() : requested;
    }

    private static void emit(Listener listener, String text) {
        if (!text.isEmpty()) {
            listener.token(text);
        }
    }

    private static long elapsedMs(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
