package io.diveteacher.question;

import java.util.LinkedHashMap;
import java.util.Map;

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
        @JsonAnySetter @KnownFieldsOnly(fields = "question, stream and top_k") Map<String, Object> unknown) {

    QueryRequest {
        unknown = unknown == null ? new LinkedHashMap<>() : unknown;
    }

    boolean streamed() {
        return Boolean.TRUE.equals(stream);
    }
}
