package io.diveteacher.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class TokenCountTests {

    /** The expression the count was defined by: chunk boundaries (and so chunk ids and cached results) rest on it. */
    private static final Pattern TOKEN = Pattern.compile("\\p{L}+|\\p{N}+|[^\\s\\p{L}\\p{N}]");

    private static int byExpression(String text) {
        Matcher m = TOKEN.matcher(text);
        int count = 0;
        while (m.find()) {
            int length = m.end() - m.start();
            count += 1 + (length > 6 ? (length - 1) / 6 : 0);
        }
        return count;
    }

    @Test
    void countsWordsNumbersAndPunctuationWithLongWordsCountingPerSixLetters() {
        assertThat(TokenCount.of("")).isZero();
        assertThat(TokenCount.of("The diver ascends.")).isEqualTo(5); // "ascends": 7 letters, two
        assertThat(TokenCount.of("decompression")).isEqualTo(3); // 13 letters: 1 + 12 / 6
        assertThat(TokenCount.of("EAN32 at 1.4 bar")).isEqualTo(7); // EAN, 32, at, 1, ., 4, bar
        assertThat(TokenCount.of("palier\u00a0de 3 m")).as("a no-break space is not a blank").isEqualTo(5);
    }

    @Test
    void countsAsTheExpressionItWasDefinedByOnEveryKindOfText() throws Exception {
        SplittableRandom random = new SplittableRandom(12);
        // Letters of several scripts, digits of others, marks, blanks regular and not, surrogate pairs, lone surrogates.
        String alphabet = "aZéÉßøœ漢字ÅΩжЖ0129٣४Ⅻ½²\u0301 \t\n\u000b\f\r\u00a0\u2003.,;:!?'\"-–—()[]€$%\ud835\udc00\ud83e\udd3f\ud800";
        int[] points = alphabet.codePoints().toArray();
        for (int i = 0; i < 5_000; i++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(60);
            for (int j = 0; j < length; j++) {
                text.appendCodePoint(points[random.nextInt(points.length)]);
            }
            String sample = random.nextInt(10) == 0 ? text.toString().replace("\ud835\udc00", "\ud835") : text.toString();
            assertThat(TokenCount.of(sample)).as("%s", sample).isEqualTo(byExpression(sample));
        }
        try (var sources = Files.list(Path.of("src/test/resources/samples-src"))) {
            for (Path source : sources.toList()) {
                String text = Files.readString(source);
                assertThat(TokenCount.of(text)).as("%s", source).isEqualTo(byExpression(text));
            }
        }
    }
}
