package io.diveteacher.question;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.chat.prompt.PromptTemplate;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import io.diveteacher.inference.ModelChat;
import io.diveteacher.inference.ModelRuntime;

/**
 * Makes a follow-up ("and at 30 m?") a question retrieval can work with, from the turns before it: the chat model
 * rewrites it into a standalone question ({@code prompts/follow-up-*.st}); with the in-process fallback, or when the
 * model's rewrite is unusable, the content words of the latest earlier question that brings any are carried over
 * to a question too short to stand alone.
 */
@Component
class FollowUp {

    private static final Logger log = LoggerFactory.getLogger(FollowUp.class);
    private static final JsonMapper JSON = JsonMapper.shared();
    private static final Map<String, Object> SCHEMA = Map.of("type", "object",
            "properties", Map.of("question", Map.of("type", "string")), "required", List.of("question"));
    /** Enough for a question; a rewrite that needs more is not one. */
    private static final int REWRITE_TOKENS = 256;
    /** Earlier turns given to the model, and how much of each answer. */
    private static final int TURNS_SHOWN = 4;
    private static final int ANSWER_CHARS_SHOWN = 600;
    /** A question with fewer content words of its own than this is taken as elliptic by the fallback. */
    static final int STANDALONE_WORDS = 3;

    private final ModelRuntime models;
    private final ModelChat chat;
    private final String system;
    private final PromptTemplate user;

    FollowUp(ModelRuntime models, ModelChat chat) {
        this.models = models;
        this.chat = chat;
        // Plain text, not a template: it shows the JSON asked for, braces included.
        try {
            this.system = new ClassPathResource("prompts/follow-up-system.st").getContentAsString(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("the follow-up prompt is missing from the jar", e);
        }
        this.user = new PromptTemplate(new ClassPathResource("prompts/follow-up-user.st"));
    }

    /** The question to retrieve and answer for; {@code question} itself when there is no history. */
    String standalone(String question, List<QueryRequest.Turn> history) {
        if (history.isEmpty()) {
            return question;
        }
        if (!models.selection().fallback()) {
            String rewritten = rewrite(question, history);
            if (rewritten != null) {
                return rewritten;
            }
        }
        return carryOver(question, history);
    }

    private String rewrite(String question, List<QueryRequest.Turn> history) {
        List<QueryRequest.Turn> shown = history.subList(Math.max(0, history.size() - TURNS_SHOWN), history.size());
        String turns = shown.stream()
                .map(t -> "Question: " + t.question().strip() + "\nAnswer: " + shorten(t.answer().strip()))
                .collect(Collectors.joining("\n\n"));
        var reply = chat.chat(system, user.render(Map.of("turns", turns, "question", question.strip())), SCHEMA,
                REWRITE_TOKENS);
        try {
            String rewritten = JSON.readTree(reply.content()).path("question").asString("").strip();
            if (!rewritten.isEmpty() && rewritten.length() <= QueryProperties.MAX_QUESTION_CHARS && !reply.truncated()) {
                return rewritten;
            }
        } catch (JacksonException e) {
            // handled below, as an empty rewrite
        }
        log.warn("The model's rewrite of a follow-up was unusable ({}); carrying the earlier question's words over",
                reply.truncated() ? "cut off" : "not the JSON asked for");
        return null;
    }

    /**
     * The question with the content words of the latest earlier question that adds any, when it has too few of its
     * own to stand alone. Numbers are not carried: a follow-up usually changes exactly those ("and at 30 m?").
     */
    static String carryOver(String question, List<QueryRequest.Turn> history) {
        Set<String> own = contentWords(question);
        if (own.size() >= STANDALONE_WORDS) {
            return question;
        }
        for (int i = history.size() - 1; i >= 0; i--) {
            Set<String> carried = new LinkedHashSet<>(contentWords(history.get(i).question()));
            carried.removeAll(own);
            if (!carried.isEmpty()) {
                return question.strip() + " (" + String.join(" ", carried) + ")";
            }
        }
        return question;
    }

    /** Words of three letters or more, without digits, that are not function words. */
    private static Set<String> contentWords(String text) {
        Set<String> words = new LinkedHashSet<>();
        for (String word : Terms.of(text).words()) {
            if (word.length() >= 3 && word.chars().noneMatch(Character::isDigit)) {
                words.add(word);
            }
        }
        return words;
    }

    private static String shorten(String answer) {
        return answer.length() <= ANSWER_CHARS_SHOWN ? answer : answer.substring(0, ANSWER_CHARS_SHOWN) + "…";
    }
}
