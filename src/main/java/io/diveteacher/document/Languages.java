package io.diveteacher.document;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;

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

    /** The language of a passage of a document. */
    public static String ofPassage(String text) {
        String sample = text != null && text.length() > PASSAGE_SAMPLE ? text.substring(0, PASSAGE_SAMPLE) : text;
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
