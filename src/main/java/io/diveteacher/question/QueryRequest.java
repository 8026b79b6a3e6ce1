package io.diveteacher.question;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnySetter;

/**
 * Body of {@code POST /api/query}. Fields it does not know are collected rather than ignored, so a typo
 * ({@code topk}) is reported instead of silently falling back to the default.
 */
record QueryRequest(String question, Boolean stream, Integer topK, @JsonAnySetter Map<String, Object> unknown) {

    QueryRequest {
        unknown = unknown == null ? new LinkedHashMap<>() : unknown;
    }

    /** What is wrong with the request, as sentences a person can act on; empty when it is valid. */
    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (question == null || question.isBlank()) {
            problems.add("question is required: the question to answer, 1 to " + QueryProperties.MAX_QUESTION_CHARS
                    + " characters");
        } else if (question.length() > QueryProperties.MAX_QUESTION_CHARS) {
            problems.add("question has " + question.length() + " characters; at most "
                    + QueryProperties.MAX_QUESTION_CHARS + " are allowed");
        }
        if (topK != null && (topK < 1 || topK > QueryProperties.MAX_TOP_K)) {
            problems.add("top_k must be between 1 and " + QueryProperties.MAX_TOP_K + ", was " + topK);
        }
        for (String name : unknown.keySet()) {
            problems.add("unknown field '" + name + "': the fields are question, stream and top_k");
        }
        return problems;
    }

    boolean streamed() {
        return Boolean.TRUE.equals(stream);
    }
}
