package io.diveteacher.question;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps an answer's citations true while it streams: {@code [n]} for a passage that was given stays,
 * {@code [1, 3]} becomes {@code [1][3]}, a number the model made up is dropped. Text is passed on as it
 * comes except from an opening bracket to its closing one (a few characters), which waits to be judged.
 */
final class Citations {

    private static final int LONGEST_CITATION = 24;

    private final int sources;
    private final StringBuilder pending = new StringBuilder();
    private final StringBuilder answer = new StringBuilder();

    Citations(int sources) {
        this.sources = sources;
    }

    /** Takes the next piece of the answer; returns what can be shown now (possibly empty). */
    String accept(String piece) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < piece.length(); i++) {
            char c = piece.charAt(i);
            if (pending.isEmpty()) {
                if (c == '[') {
                    pending.append(c);
                } else {
                    out.append(c);
                }
            } else if (c == ']') {
                pending.append(c);
                out.append(judge(pending.toString()));
                pending.setLength(0);
            } else if ((Character.isDigit(c) || c == ',' || c == ';' || c == ' ') && pending.length() < LONGEST_CITATION) {
                pending.append(c);
            } else {
                // Not a citation after all ("[see below]"): show it as written and read c again.
                out.append(pending);
                pending.setLength(0);
                i--;
            }
        }
        answer.append(out);
        return out.toString();
    }

    /** Ends the answer: returns what was still held back. */
    String finish() {
        String rest = pending.toString();
        pending.setLength(0);
        answer.append(rest);
        return rest;
    }

    /** The whole answer as shown. */
    String answer() {
        return answer.toString().strip();
    }

    private String judge(String bracketed) {
        String inside = bracketed.substring(1, bracketed.length() - 1).strip();
        if (inside.isEmpty()) {
            return bracketed;
        }
        List<Integer> numbers = new ArrayList<>();
        for (String part : inside.split("[,;\\s]+")) {
            if (part.isEmpty()) {
                continue;
            }
            int n = part.length() > 4 ? 0 : Integer.parseInt(part);
            if (n >= 1 && n <= sources && !numbers.contains(n)) {
                numbers.add(n);
            }
        }
        StringBuilder out = new StringBuilder();
        for (int n : numbers) {
            out.append('[').append(n).append(']');
        }
        return out.toString();
    }
}
