package io.diveteacher.document;

import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.de.GermanAnalyzer;
import org.apache.lucene.analysis.es.SpanishAnalyzer;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.it.ItalianAnalyzer;
import org.apache.lucene.analysis.pt.PortugueseAnalyzer;

/**
 * Function words and question words: what a search or an extraction leaves out of a text's words. English is our
 * list; French, German, Spanish, Italian and Portuguese are Lucene's, the ones their fulltext analyzers drop too.
 */
public final class StopWords {

    public static final Set<String> ENGLISH = Set.of("a", "about", "after", "all", "also", "an", "and", "any",
            "are", "as", "at", "be", "been", "before", "being", "between", "both", "but", "by", "can", "could",
            "did", "do", "does", "doing", "during", "each", "for", "from", "had", "has", "have", "having", "he",
            "her", "here", "his", "how", "i", "if", "in", "into", "is", "it", "its", "me", "more", "most", "my",
            "no", "nor", "not", "of", "off", "on", "once", "only", "or", "other", "our", "out", "over", "own",
            "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "them", "then",
            "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very",
            "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with",
            "would", "you", "your", "tell", "explain", "describe", "please", "much", "many", "must", "may",
            "might", "shall", "am", "s", "t");

    private static final Map<String, CharArraySet> LUCENE = Map.of("fr", french(),
            "de", GermanAnalyzer.getDefaultStopSet(), "es", SpanishAnalyzer.getDefaultStopSet(),
            "it", ItalianAnalyzer.getDefaultStopSet(), "pt", PortugueseAnalyzer.getDefaultStopSet());

    private StopWords() {
    }

    /** Snowball's French list leaves out "est" (it is also a noun, "east"); in a question it is the verb. */
    private static CharArraySet french() {
        CharArraySet set = CharArraySet.copy(FrenchAnalyzer.getDefaultStopSet());
        set.add("est");
        return CharArraySet.unmodifiableSet(set);
    }

    /**
     * Whether a lower-case word is a function word of the language with this ISO 639-1 code: English's for English
     * and a language without a list; English's or French's for an undetermined one (a short question the detector
     * is unsure of is most often in one of the two).
     */
    public static Predicate<String> of(String language) {
        CharArraySet set = LUCENE.get(language);
        if (set != null) {
            return word -> set.contains(word);
        }
        if (Languages.UNDETERMINED.equals(language)) {
            // French's one-letter words are elisions ("l'", "d'"), which an English text does not have: "5 m" keeps
            // its unit.
            CharArraySet french = LUCENE.get("fr");
            return word -> ENGLISH.contains(word) || word.length() > 1 && french.contains(word);
        }
        return ENGLISH::contains;
    }
}
