package io.diveteacher.question;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.diveteacher.document.Sentences;

/**
 * The answer when no generation model is available (the in-process fallback): the sentences of the best
 * passages that share most words with the question, in passage order, each cited. Honest about what it is:
 * quotations, not a reply.
 */
final class ExtractiveAnswer {

    static final String MODEL = "extractive (in-process fallback: no generation model)";
    private static final int MAX_SENTENCES = 3;
    private static final int SEARCHED_PASSAGES = 3;
    private static final int SHORTEST_SENTENCE = 20;

    private ExtractiveAnswer() {
    }

    /** The sentences of the answer, each ending with its citation. */
    static List<String> sentences(RetrievedContext context) {
        Terms terms = context.terms();
        List<Pick> picks = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<RetrievedContext.Passage> passages = context.passages();
        for (int p = 0; p < Math.min(SEARCHED_PASSAGES, passages.size()); p++) {
            List<Sentences.Sentence> sentences = Sentences.of(passages.get(p).text());
            double heading = 0;
            for (int s = 0; s < sentences.size(); s++) {
                String text = sentences.get(s).text();
                double score = terms.score(text);
                if (!endsSentence(text)) {
                    // A heading that matches the question: what answers it is the sentence after it.
                    heading = score;
                    continue;
                }
                score = Math.max(score, heading * 0.9);
                heading = 0;
                // Overlapping passages repeat sentences: each is considered once, in its best passage.
                if (text.length() >= SHORTEST_SENTENCE && score > 0 && seen.add(text)) {
                    // Earlier passages rank higher at equal scores.
                    picks.add(new Pick(passages.get(p).source().n(), s, text, score - p * 0.1));
                }
            }
        }
        List<Pick> chosen = picks.stream().sorted(Comparator.comparingDouble(Pick::score).reversed())
                .limit(MAX_SENTENCES).sorted(Comparator.comparingInt(Pick::source).thenComparingInt(Pick::index)).toList();
        if (chosen.isEmpty() && !passages.isEmpty()) {
            String first = Sentences.of(passages.getFirst().text()).stream().map(Sentences.Sentence::text)
                    .filter(t -> t.length() >= SHORTEST_SENTENCE && endsSentence(t)).findFirst().orElse(passages.getFirst().text().strip());
            chosen = List.of(new Pick(1, 0, first, 0));
        }
        List<String> out = new ArrayList<>();
        for (Pick pick : chosen) {
            String sentence = pick.text().strip();
            boolean stop = endsSentence(sentence);
            String body = stop ? sentence.substring(0, sentence.length() - 1) : sentence;
            out.add((out.isEmpty() ? "" : " ") + body + " [" + pick.source() + "]" + (stop ? sentence.substring(sentence.length() - 1) : "."));
        }
        return out;
    }

    private static boolean endsSentence(String text) {
        return text.endsWith(".") || text.endsWith("!") || text.endsWith("?");
    }

    private record Pick(int source, int index, String text, double score) {
    }
}
