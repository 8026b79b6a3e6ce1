package io.diveteacher.document;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Approximate count of model tokens. The real count depends on each model's tokenizer, which the
 * application does not have for Ollama models; words, numbers and punctuation count one each, long
 * words one per six letters, which tracks BPE tokenizers within about 10% on English prose.
 */
public final class TokenCount {

    private static final Pattern TOKEN = Pattern.compile("\\p{L}+|\\p{N}+|[^\\s\\p{L}\\p{N}]");

    private TokenCount() {
    }

    public static int of(CharSequence text) {
        Matcher m = TOKEN.matcher(text);
        int count = 0;
        while (m.find()) {
            int length = m.end() - m.start();
            count += 1 + (length > 6 ? (length - 1) / 6 : 0);
        }
        return count;
    }
}
