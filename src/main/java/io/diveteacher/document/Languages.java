package io.diveteacher.document;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.optimaize.langdetect.DetectedLanguage;
import com.optimaize.langdetect.LanguageDetector;
import com.optimaize.langdetect.LanguageDetectorBuilder;
import com.optimaize.langdetect.ngram.NgramExtractors;
import com.optimaize.langdetect.profiles.LanguageProfileReader;
import com.optimaize.langdetect.text.CommonTextObjectFactories;
import com.optimaize.langdetect.text.TextObjectFactory;

/**
 * The language a text is written in, as an ISO 639-1 code ({@code "fr"}), or {@link #UNDETERMINED}. Detection is
 * Optimaize's character n-gram detector (the one Apache Tika uses), with its 71 built-in language profiles; a
 * passage's few hundred words are plenty for it, a question's few words less so, which is why a question below
 * {@link #QUESTION_CONFIDENCE} is left undetermined and searched in every language.
 */
public final class Languages {

    public static final String UNDETERMINED = "und";

    /** How sure the detector must be of a passage's language. */
    static final double PASSAGE_CONFIDENCE = 0.8;

    /**
     * Characters of a passage the detector reads: a thousand (about 150 words) settle its language, and the
     * detector's time grows with the text.
     */
    static final int PASSAGE_SAMPLE = 1000;

    /** How sure it must be of a question's: short texts give flatter guesses. */
    static final double QUESTION_CONFIDENCE = 0.9;

    private Languages() {
    }

    /**
     * The language of a passage of a document: by its function words when they leave no doubt (see
     * {@link FunctionWords}), otherwise by the n-gram detector.
     */
    public static String ofPassage(String text) {
        String sample = text != null && text.length() > PASSAGE_SAMPLE ? text.substring(0, PASSAGE_SAMPLE) : text;
        String clear = FunctionWords.language(sample);
        return clear != null ? clear : detect(Detector.PASSAGES, sample, PASSAGE_CONFIDENCE);
    }

    /** What the n-gram detector alone says of a passage (for the tests that hold the function words to it). */
    static String detectedByNgrams(String sample) {
        return detect(Detector.PASSAGES, sample, PASSAGE_CONFIDENCE);
    }

    /** The language of a question, which is short and may be written without accents. */
    public static String ofQuestion(String question) {
        return detect(Detector.QUESTIONS, question, QUESTION_CONFIDENCE);
    }

    private static String detect(TextObjectFactory texts, String text, double confidence) {
        if (text == null || text.isBlank()) {
            return UNDETERMINED;
        }
        List<DetectedLanguage> guesses = Detector.INSTANCE.getProbabilities(texts.forText(text));
        if (guesses.isEmpty() || guesses.getFirst().getProbability() < confidence) {
            return UNDETERMINED;
        }
        return guesses.getFirst().getLocale().getLanguage().toLowerCase(Locale.ROOT);
    }

    /**
     * The six languages that have their own fulltext index, told apart by their most frequent function words, each
     * list holding only words the other five (and their close neighbours, Dutch, Catalan, Romanian) do not use
     * often. The n-gram detector costs about as much as reading the PDF page the passage came from; this costs a
     * lookup per word. It decides only when one language's words are a tenth of the text or more, of at least three
     * kinds, and four times as many as any other's: plain prose in one of these languages. Anything else (a table, a
     * list of names, a mix, another language) goes to the detector, and where both answer they agree
     * ({@code LanguagesTests}).
     */
    static final class FunctionWords {

        private static final List<String> LANGUAGES = List.of("en", "fr", "de", "es", "it", "pt");
        /** The index in {@link #LANGUAGES} of the language each word belongs to; -1 for a word two languages use. */
        private static final Map<String, Integer> LANGUAGE_OF_WORD = new HashMap<>();
        private static final int MIN_WORDS = 30;
        /** Longer words are never function words: not looked up. */
        private static final int LONGEST = 8;

        static {
            words("en", "the", "and", "of", "to", "is", "are", "with", "that", "this", "for", "be", "by", "from",
                    "which", "were", "it", "have", "has", "not", "at", "or", "can", "will", "your", "you", "when",
                    "should", "must", "than", "into");
            words("fr", "les", "est", "et", "une", "dans", "pour", "qui", "sont", "avec", "cette", "aux", "au", "du",
                    "pas", "sur", "ces", "être", "leur", "nous", "vous", "elle", "lorsque", "peut", "doit");
            words("de", "der", "die", "das", "und", "ist", "nicht", "mit", "den", "dem", "ein", "eine", "einen",
                    "sich", "auf", "für", "von", "zu", "im", "auch", "werden", "wird", "bei", "oder", "sind", "nach",
                    "wie", "aus", "einer", "kann", "muss");
            words("es", "el", "los", "las", "y", "es", "más", "están", "pero", "sus", "muy", "también", "hay",
                    "cuando", "puede", "debe", "según");
            words("it", "di", "che", "per", "della", "delle", "dei", "degli", "nel", "nella", "alla", "gli", "è",
                    "anche", "sono", "questo", "questa", "essere", "più", "hanno", "può");
            words("pt", "os", "em", "uma", "não", "é", "na", "ao", "pelo", "pela", "são", "seu", "nas", "às",
                    "pode", "também");
            // Frequent in two of the languages (French and German "des", German and English "was", Spanish and
            // Italian "ha", "lo", Portuguese and French "ou", ...): they tell neither apart.
            for (String shared : List.of("des", "was", "quando", "sua", "ha", "lo", "ou", "está", "dos", "deve")) {
                LANGUAGE_OF_WORD.put(shared, -1);
            }
        }

        private static void words(String language, String... words) {
            int index = LANGUAGES.indexOf(language);
            for (String word : words) {
                LANGUAGE_OF_WORD.merge(word, index, (a, b) -> a.equals(b) ? a : -1);
            }
        }

        private FunctionWords() {
        }

        /** The language of a text when its function words leave no doubt; null otherwise. */
        static String language(String text) {
            if (text == null) {
                return null;
            }
            int[] hits = new int[LANGUAGES.size()];
            List<Set<String>> kinds = new ArrayList<>();
            for (int l = 0; l < hits.length; l++) {
                kinds.add(new HashSet<>());
            }
            int words = 0;
            int length = text.length();
            int i = 0;
            while (i < length) {
                while (i < length && !Character.isLetter(text.charAt(i))) {
                    i++;
                }
                int start = i;
                while (i < length && Character.isLetter(text.charAt(i))) {
                    i++;
                }
                if (i > start) {
                    words++;
                    if (i - start <= LONGEST) {
                        String word = text.substring(start, i).toLowerCase(Locale.ROOT);
                        Integer language = LANGUAGE_OF_WORD.get(word);
                        if (language != null && language >= 0) {
                            hits[language]++;
                            kinds.get(language).add(word);
                        }
                    }
                }
            }
            if (words < MIN_WORDS) {
                return null;
            }
            int best = 0;
            for (int l = 1; l < hits.length; l++) {
                if (hits[l] > hits[best]) {
                    best = l;
                }
            }
            int second = 0;
            for (int l = 0; l < hits.length; l++) {
                if (l != best) {
                    second = Math.max(second, hits[l]);
                }
            }
            boolean clear = hits[best] * 10 >= words && kinds.get(best).size() >= 3 && hits[best] >= 4 * second;
            return clear ? LANGUAGES.get(best) : null;
        }
    }

    /** Loaded on first use: the profiles take a few megabytes and a fraction of a second. */
    private static final class Detector {

        static final LanguageDetector INSTANCE;
        static final TextObjectFactory PASSAGES = CommonTextObjectFactories.forDetectingOnLargeText();
        static final TextObjectFactory QUESTIONS = CommonTextObjectFactories.forDetectingShortCleanText();

        static {
            try {
                INSTANCE = LanguageDetectorBuilder.create(NgramExtractors.standard())
                        .withProfiles(new LanguageProfileReader().readAllBuiltIn()).build();
            } catch (IOException e) {
                throw new UncheckedIOException("the language detector's built-in profiles cannot be read", e);
            }
        }
    }
}
