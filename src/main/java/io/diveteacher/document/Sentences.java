package io.diveteacher.document;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where text breaks into sentences, the one rule for chunking, excerpts and the fallback extraction: after a full
 * stop, question or exclamation mark followed by space and a capital, digit or opening quote (so "e.g. the" stays
 * one sentence), and at line breaks.
 */
public final class Sentences {

    static final Pattern END = Pattern.compile("(?<=[.!?])\\s+(?=[\\p{Lu}\\p{N}(\"'])|\\n+");

    private Sentences() {
    }

    /** A sentence and where it starts in the text it came from. */
    public record Sentence(int offset, String text) {
    }

    /** The sentences of a text, stripped, with their offsets; blank pieces are left out. */
    public static List<Sentence> of(String text) {
        List<Sentence> sentences = new ArrayList<>();
        Matcher m = END.matcher(text);
        int start = 0;
        while (true) {
            boolean found = m.find();
            int end = found ? m.start() : text.length();
            String sentence = text.substring(start, end).strip();
            if (!sentence.isEmpty()) {
                sentences.add(new Sentence(text.indexOf(sentence, start), sentence));
            }
            if (!found) {
                return sentences;
            }
            start = m.end();
        }
    }
}
