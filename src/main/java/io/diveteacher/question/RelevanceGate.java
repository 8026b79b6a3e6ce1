package io.diveteacher.question;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.diveteacher.graph.GraphRetrieval;

/**
 * Decides, before any model is asked, whether the chosen passages are about what the question is specifically
 * about. Overall similarity is not enough: "what did the first nitrox analyser cost?" is close to every passage
 * on nitrox analysers, none of which gives a price. So the question's words are weighted by how rare they are in
 * the whole library (inverse document frequency: a word in every chunk weighs nothing, a word in none weighs
 * most), and the question is covered when one chosen passage holds
 * <ul>
 * <li>every number, version and name of the question ({@link Terms#exact()}), and</li>
 * <li>at least {@code minCoverage} of the question's total weight.</li>
 * </ul>
 * A question made only of words common in the library (total weight 0) is left to the similarity threshold.
 */
final class RelevanceGate {

    private RelevanceGate() {
    }

    /**
     * @param coverage the best passage's share of the question's weight (1 when the question has no weight)
     * @param missing the question's words no chosen passage holds, heaviest first
     */
    record Verdict(boolean covered, double coverage, List<String> missing) {
    }

    static Verdict judge(Terms terms, GraphRetrieval.Rarity rarity, List<String> passages, double minCoverage) {
        double total = terms.words().stream().mapToDouble(rarity::weight).sum();
        Set<String> anywhere = new LinkedHashSet<>();
        double best = 0;
        boolean covered = false;
        for (String text : passages) {
            Set<String> found = terms.foundIn(text);
            anywhere.addAll(found);
            double share = total == 0 ? 1 : found.stream().mapToDouble(rarity::weight).sum() / total;
            if (found.containsAll(terms.exact())) {
                best = Math.max(best, share);
                covered |= share >= minCoverage;
            }
        }
        List<String> missing = terms.words().stream().filter(w -> !anywhere.contains(w))
                .sorted((a, b) -> Double.compare(rarity.weight(b), rarity.weight(a))).toList();
        return new Verdict(covered, Math.round(best * 1000) / 1000.0, missing);
    }
}
