package io.diveteacher.document;

/**
 * Approximate count of model tokens. The real count depends on each model's tokenizer, which the
 * application does not have for Ollama models; words, numbers and punctuation count one each, long
 * words one per six letters, which tracks BPE tokenizers within about 10% on English prose.
 * <p>
 * A word is a run of letters ({@code \p{L}+}), a number a run of digits ({@code \p{N}+}), and every other character
 * but the blanks {@code [ \t\n\x0B\f\r]} counts alone, lengths in UTF-16 units: the regular expression this count was
 * first written with, scanned by hand because the chunker counts every sentence and every chunk (the expression took
 * a tenth of the time spent reading a document). The count decides where chunks end, and so their ids and cached
 * model results: it must not change.
 */
public final class TokenCount {

    private TokenCount() {
    }

    public static int of(CharSequence text) {
        int count = 0;
        int length = text.length();
        int i = 0;
        while (i < length) {
            int cp = Character.codePointAt(text, i);
            int kind = kind(cp);
            if (kind == BLANK) {
                i++;
                continue;
            }
            int start = i;
            i += Character.charCount(cp);
            if (kind != OTHER) {
                while (i < length) {
                    int next = Character.codePointAt(text, i);
                    if (kind(next) != kind) {
                        break;
                    }
                    i += Character.charCount(next);
                }
            }
            int run = i - start;
            count += 1 + (run > 6 ? (run - 1) / 6 : 0);
        }
        return count;
    }

    private static final int BLANK = 0;
    private static final int LETTER = 1;
    private static final int NUMBER = 2;
    private static final int OTHER = 3;

    private static int kind(int cp) {
        if (cp < 128) {
            if (cp >= 'a' && cp <= 'z' || cp >= 'A' && cp <= 'Z') {
                return LETTER;
            }
            if (cp >= '0' && cp <= '9') {
                return NUMBER;
            }
            return cp == ' ' || cp >= '\t' && cp <= '\r' ? BLANK : OTHER;
        }
        if (Character.isLetter(cp)) {
            return LETTER;
        }
        return switch (Character.getType(cp)) {
            case Character.DECIMAL_DIGIT_NUMBER, Character.LETTER_NUMBER, Character.OTHER_NUMBER -> NUMBER;
            default -> OTHER;
        };
    }
}
