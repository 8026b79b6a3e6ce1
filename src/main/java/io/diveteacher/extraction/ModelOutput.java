package io.diveteacher.extraction;

import java.util.ArrayDeque;
import java.util.Deque;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Parses a model's JSON answer, repairing what can be repaired: Markdown code fences, prose before or after the
 * object, and an answer cut off mid-way (closed after its last complete array element). Each result says whether
 * the repair dropped content: a closed cut-off answer did (its unfinished element and everything the model did not
 * write), and so did text after the object that may hold more data. Anything else is reported as unparseable.
 */
final class ModelOutput {

    private static final JsonMapper JSON = JsonMapper.shared();

    /**
     * @param json the parsed object, or null when the text cannot be made into a JSON object
     * @param dropped what the repair left out, or null when nothing was (fences and prose around it are no content)
     */
    record Parsed(JsonNode json, String dropped) {

        static final Parsed NONE = new Parsed(null, null);

        boolean lossless() {
            return json != null && dropped == null;
        }
    }

    private ModelOutput() {
    }

    static Parsed parse(String raw) {
        if (raw == null) {
            return Parsed.NONE;
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
            return Parsed.NONE;
        }
        text = text.substring(start);
        Repair repair = closeOrTrim(text);
        if (repair == null) {
            return Parsed.NONE;
        }
        JsonNode node = tryParse(repair.text());
        return node != null && node.isObject() ? new Parsed(node, repair.dropped()) : Parsed.NONE;
    }

    private static JsonNode tryParse(String text) {
        try {
            return JSON.readTree(text);
        } catch (JacksonException e) {
            return null;
        }
    }

    /** The text to parse, and what was left out of it (null: nothing that could be content). */
    private record Repair(String text, String dropped) {
    }

    /**
     * Scans the text once: a balanced object ends the scan (anything after it is prose, unless it looks like more
     * JSON); an unbalanced one is cut after the last completed element inside an array and closed.
     */
    private static Repair closeOrTrim(String text) {
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
                        String rest = text.substring(i + 1);
                        boolean moreData = rest.indexOf('{') >= 0 || rest.indexOf('[') >= 0;
                        return new Repair(text.substring(0, i + 1),
                                moreData ? "text after the JSON object that may hold more of it" : null);
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
        return safeCut < 0 ? null
                : new Repair(text.substring(0, safeCut) + safeClosers, "the answer ends mid-way; it was closed after "
                        + "its last complete element");
    }

    private static String closers(Deque<Character> open) {
        StringBuilder closers = new StringBuilder();
        open.forEach(closers::append);
        return closers.toString();
    }
}
