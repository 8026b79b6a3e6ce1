package io.diveteacher.question;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.hibernate.validator.constraints.Range;

import com.fasterxml.jackson.annotation.JsonAnySetter;

/**
 * Body of {@code POST /api/query}, checked by Bean Validation with messages a person can act on. Fields it does not
 * know are collected rather than ignored, so a typo ({@code topk}) is reported instead of silently falling back to
 * the default.
 */
record QueryRequest(
        @NotBlank(message = "question is required: the question to answer, 1 to " + QueryProperties.MAX_QUESTION_CHARS
                + " characters")
        @Size(max = QueryProperties.MAX_QUESTION_CHARS,
                message = "question has ${validatedValue.length()} characters; at most {max} are allowed")
        String question,
        Boolean stream,
        @Range(min = 1, max = QueryProperties.MAX_TOP_K, message = "top_k must be between {min} and {max}, was ${validatedValue}")
        Integer topK,
        @Valid
        @Size(max = QueryProperties.MAX_HISTORY_TURNS, message = "history has ${validatedValue.size()} turns; at most "
                + "{max} are taken (send the latest)")
        List<@Valid Turn> history,
        @JsonAnySetter @KnownFieldsOnly(fields = "question, stream, top_k and history") Map<String, Object> unknown) {

    QueryRequest {
        unknown = unknown == null ? new LinkedHashMap<>() : unknown;
        history = history == null ? List.of() : history;
    }

    /**
     * A previous question of the conversation and the answer it got (oldest first in {@code history}), so that a
     * follow-up ("and at 30 m?") can be understood.
     */
    record Turn(
            @NotBlank(message = "each turn of history needs its question")
            @Size(max = QueryProperties.MAX_QUESTION_CHARS,
                    message = "a question in history has ${validatedValue.length()} characters; at most {max} are allowed")
            String question,
            @Size(max = QueryProperties.MAX_HISTORY_ANSWER_CHARS,
                    message = "an answer in history has ${validatedValue.length()} characters; at most {max} are taken")
            String answer,
            @JsonAnySetter @KnownFieldsOnly(fields = "question and answer") Map<String, Object> unknown) {

        Turn {
            unknown = unknown == null ? new LinkedHashMap<>() : unknown;
            answer = answer == null ? "" : answer;
        }

        Turn(String question, String answer) {
            this(question, answer, null);
        }
    }

    boolean streamed() {
        return Boolean.TRUE.equals(stream);
    }
}
