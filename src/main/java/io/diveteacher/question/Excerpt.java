package io.diveteacher.question;

import java.util.List;

import io.diveteacher.document.Sentences;

/**
 * The part of a passage shown with a source: the sentence sharing most words with the question and its
 * neighbours, up to a length. {@code offset} is where it starts in the passage (its page is cited).
 */
record Excerpt(String text, int offset) {

    static Excerpt of(String passage, Terms terms, int maxChars) {
        List<Sentences.Sentence> sentences = Sentences.of(passage);
        if (sentences.isEmpty()) {
            return new Excerpt("", 0);
        }
        int best = 0;
        double bestMatches = -1;
        for (int i = 0; i < sentences.size(); i++) {
            double matches = terms.score(sentences.get(i).text());
            if (matches > bestMatches) {
                best = i;
                bestMatches = matches;
            }
        }
        int first = best;
        int last = best;
        int length = sentences.get(best).text().length();
        // Grow forwards first: the sentence after a match usually finishes its thought.
        while (true) {
            if (last + 1 < sentences.size() && length + 1 + sentences.get(last + 1).text().length() <= maxChars) {
                length += 1 + sentences.get(++last).text().length();
            } else if (first > 0 && length + 1 + sentences.get(first - 1).text().length() <= maxChars) {
                length += 1 + sentences.get(--first).text().length();
            } else {
                break;
            }
        }
        int start = sentences.get(first).offset();
        Sentences.Sentence end = sentences.get(last);
        String text = passage.substring(start, end.offset() + end.text().length()).replaceAll("\\s+", " ");
        if (text.length() > maxChars) {
            int cut = text.lastIndexOf(' ', maxChars - 1);
            text = text.substring(0, cut > maxChars / 2 ? cut : maxChars - 1) + "…";
        }
        return new Excerpt(text, sentences.get(best).offset());
    }
}
