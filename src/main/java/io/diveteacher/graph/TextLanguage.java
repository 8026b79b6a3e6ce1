package io.diveteacher.graph;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The languages whose passages also get a fulltext index with that language's stemming analyzer (French
 * "paliers" finds "palier"): a chunk in one of them carries the language's label, which the index is on. Every
 * chunk stays in {@code chunk_text} (the standard analyzer), which serves the other languages and questions whose
 * language is not clear. Labels and index names come from this list only, never from data.
 */
enum TextLanguage {

    ENGLISH("en", "english"),
    FRENCH("fr", "french"),
    GERMAN("de", "german"),
    SPANISH("es", "spanish"),
    ITALIAN("it", "italian"),
    PORTUGUESE("pt", "portuguese");

    /** The index every chunk is in, whatever its language. */
    static final String ANY_LANGUAGE_INDEX = "chunk_text";

    private final String code;
    private final String analyzer;

    TextLanguage(String code, String analyzer) {
        this.code = code;
        this.analyzer = analyzer;
    }

    /** The language with this ISO 639-1 code, if it has its own index. */
    static Optional<TextLanguage> of(String code) {
        return Arrays.stream(values()).filter(l -> l.code.equals(code)).findFirst();
    }

    /** The labels a chunk in the language with this code carries besides {@code Chunk}: none or one. */
    static List<String> labelsOf(String code) {
        return of(code).map(l -> List.of(l.label())).orElse(List.of());
    }

    /** The fulltext index to search a text in this language with. */
    static String indexFor(String code) {
        return of(code).map(TextLanguage::index).orElse(ANY_LANGUAGE_INDEX);
    }

    String code() {
        return code;
    }

    String label() {
        return analyzer.substring(0, 1).toUpperCase(java.util.Locale.ROOT) + analyzer.substring(1) + "Chunk";
    }

    String index() {
        return "chunk_text_" + code;
    }

    String createStatement() {
        return "CREATE FULLTEXT INDEX " + index() + " IF NOT EXISTS FOR (c:" + label() + ") ON EACH [c.text] "
                + "OPTIONS {indexConfig: {`fulltext.analyzer`: '" + analyzer + "', "
                + "`fulltext.eventually_consistent`: true}}";
    }
}
