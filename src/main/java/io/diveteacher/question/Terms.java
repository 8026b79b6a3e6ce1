package io.diveteacher.question;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.diveteacher.document.Languages;
import io.diveteacher.document.StopWords;

/**
 * The content words of a question, compared with passages the same crude way everywhere: lower case,
 * function words dropped, a plural {@code s} ignored. Written here rather than taken from Lucene because the
 * fulltext index only sees the query string; this decides relevance and excerpts on the JVM side.
 */
final class Terms {

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:[.,][\\p{N}]+)?");

    /**
     * Words that say what kind of answer is wanted rather than what it is about ("how long", "how often", "be
     * done"): passages answer them with figures and other verbs, so they neither find nor rule out a passage.
     */
    private static final Set<String> QUESTION_FORM = Set.of("long", "often", "far", "deep", "big", "old", "soon",
            "done", "made", "make", "happen", "happens", "take", "takes", "mean", "means", "called", "used", "need",
            "needed", "needs", "kind", "way", "ways",
            // French: "combien de temps", "que faut-il faire", "à quoi sert", "que signifie"
            "combien", "longtemps", "souvent", "profond", "faut", "faire", "fait", "doit", "doivent",
            "peut", "peuvent", "sert", "servent", "signifie", "appelle", "appelé", "utilise", "utilisé", "reconnaît", "reconnaître", "reconnaissent", "quel",
            "quelle", "quels", "quelles", "comment", "pourquoi", "quand", "où");

    private final Set<String> words;
    private final Set<String> exact;
    private final Map<String, Double> weights;
    private final String language;

    private Terms(Set<String> words, Set<String> exact, Map<String, Double> weights, String language) {
        this.words = words;
        this.exact = exact;
        this.weights = weights;
        this.language = language;
    }

    /** The ISO 639-1 code of the question's language ({@code und} when unsure). */
    String language() {
        return language;
    }

    static Terms of(String question) {
        return of(question, Languages.UNDETERMINED);
    }

    /** The content words of a question in the language with this ISO 639-1 code (its function words dropped). */
    static Terms of(String question, String language) {
        Predicate<String> stopWord = StopWords.of(language);
        Set<String> words = new LinkedHashSet<>();
        Set<String> exact = new LinkedHashSet<>();
        Matcher m = WORD.matcher(question);
        boolean first = true;
        while (m.find()) {
            String typed = m.group();
            String word = typed.toLowerCase(Locale.ROOT);
            if (elided(question, m) || stopWord.test(word) || QUESTION_FORM.contains(word)) {
                first = false;
                continue;
            }
            words.add(normal(word));
            // Numbers, versions (EAN32) and names (capitalised past the first word) are what a question is
            // specifically about: an answer from a passage without them is about something else.
            if (typed.chars().anyMatch(Character::isDigit)
                    || (!first && typed.chars().anyMatch(Character::isUpperCase))) {
                exact.add(normal(word));
            }
            first = false;
        }
        return new Terms(words, exact, Map.of(), language);
    }

    /** An elided article or pronoun, as French and Italian write them ("l'azote", "qu'est-ce", "dell'aria"). */
    private static boolean elided(String text, Matcher word) {
        return word.group().length() <= 3 && word.end() < text.length()
                && (text.charAt(word.end()) == '\'' || text.charAt(word.end()) == '\u2019');
    }

    /**
     * The same words weighted by how rare they are among {@code texts} (inverse document frequency), so that
     * "serviced" counts for more than "regulator" in a manual where every page names the regulator.
     */
    Terms weightedBy(Collection<String> texts) {
        Map<String, Integer> containing = new HashMap<>();
        for (String text : texts) {
            foundIn(text).forEach(word -> containing.merge(word, 1, Integer::sum));
        }
        Map<String, Double> idf = new HashMap<>();
        for (String word : words) {
            idf.put(word, Math.log(1 + (texts.size() + 1.0) / (containing.getOrDefault(word, 0) + 1.0)));
        }
        return new Terms(words, exact, idf, language);
    }

    /** Sum of the weights of the question's words found in {@code text} (each word once). */
    double score(String text) {
        return foundIn(text).stream().mapToDouble(w -> weights.getOrDefault(w, 1.0)).sum();
    }

    Set<String> words() {
        return words;
    }

    /** The numbers, versions and names among the words (lower case, as {@link #words()}). */
    Set<String> exact() {
        return exact;
    }

    /**
     * A Lucene query for one of the words: numbers with a decimal point as a phrase (the analyzer keeps them
     * whole), other words also with a plural {@code s}, as {@link #luceneQuery()} searches them.
     */
    static String luceneQuery(String word) {
        if (word.chars().anyMatch(c -> c == '.' || c == ',')) {
            return "\"" + word + "\"";
        }
        return word.chars().allMatch(Character::isDigit) ? word : word + " " + word + "s";
    }

    /**
     * A Lucene query matching any of the words, each also as typed with a plural {@code s}. Only letters and
     * digits reach it, so no Lucene syntax can be injected.
     */
    String luceneQuery() {
        List<String> parts = new ArrayList<>();
        for (String word : words) {
            for (String piece : word.split("[.,]")) {
                if (!piece.isEmpty()) {
                    parts.add(piece);
                    if (!piece.chars().allMatch(Character::isDigit)) {
                        parts.add(piece + "s");
                    }
                }
            }
        }
        return String.join(" ", new LinkedHashSet<>(parts));
    }

    /** Share of the question's words that occur in {@code text}. */
    double coverage(String text) {
        if (words.isEmpty()) {
            return 0;
        }
        return (double) matches(text) / words.size();
    }

    /** How many of the question's words occur in {@code text}. */
    int matches(String text) {
        return foundIn(text).size();
    }

    /** The question's words that occur in {@code text}. */
    Set<String> foundIn(String text) {
        Set<String> found = new HashSet<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            String word = normal(m.group());
            if (words.contains(word)) {
                found.add(word);
            }
        }
        return found;
    }

    private static String normal(String word) {
        return word.length() > 3 && word.endsWith("s") && !word.endsWith("ss") ? word.substring(0, word.length() - 1) : word;
    }
}
