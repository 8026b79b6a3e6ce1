package io.diveteacher.extraction;

import java.util.ArrayDeque;
import java.util.Deque;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses a model's JSON answer, repairing what is safe to repair: Markdown code fences, prose before or
 * after the object, and an answer cut off mid-way (closed after its last complete array element, so
 * only the unfinished element is lost). Anything else is reported as unparseable.
 */
final class ModelOutput {

    private static final JsonMapper JSON = JsonMapper.shared();

    private ModelOutput() {
    }

    /** The parsed object, or null when the text cannot be made into a JSON object safely. */
    static JsonNode parse(String raw) {
        if (raw == null) {
            return null;
        }
        String text = raw.strip();
        if (text.startsWith("```")) {
            int firstLine = text.indexOf('\n');
            text = firstLine < 0 ? "" : text.substring(firstLine + 1);
            int fence = text.lastIndexOf("```");
            if (fence >= 0) {
                text = text.substring(0, fence);
            }
        }
        int start = text.indexOf('{');
        if (start < 0) {
            return null;
        }
        text = text.substring(start);
        JsonNode node = tryParse(closeOrTrim(text));
        return node != null && node.isObject() ? node : null;
    }

    private static JsonNode tryParse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (JacksonException e) {
            return null;
        }
    }

    /**
     * Scans the text once: a balanced object ends the scan (anything after it is prose); an unbalanced one
     * is cut after the last completed element inside an array and closed.
     */
    static String closeOrTrim(String text) {
        Deque<Character> open = new ArrayDeque<>();
        boolean inString = false;
        boolean escaped = false;
        int safeCut = -1;
        String safeClosers = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            switch (c) {
                case '"' -> inString = true;
                case '{' -> open.push('}');
                case '[' -> open.push(']');
                case '}', ']' -> {
                    if (open.isEmpty() || open.pop() != c) {
                        return null;
                    }
                    if (open.isEmpty()) {
                        return text.substring(0, i + 1);
                    }
                    if (open.peek() == ']') {
                        safeCut = i + 1;
                        safeClosers = closers(open);
                    }
                }
                default -> {
                }
            }
        }
        return safeCut < 0 ? null : text.substring(0, safeCut) + safeClosers;
    }

    private static String closers(Deque<Character> open) {
        StringBuilder closers = new StringBuilder();
        open.forEach(closers::append);
        return closers.toString();
    }
}
