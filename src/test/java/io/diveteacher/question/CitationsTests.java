package io.diveteacher.question;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class CitationsTests {

    private static String through(Citations citations, List<String> pieces) {
        StringBuilder shown = new StringBuilder();
        for (String piece : pieces) {
            shown.append(citations.accept(piece));
        }
        shown.append(citations.finish());
        return shown.toString();
    }

    @Test
    void citationsOfGivenSourcesPassAndMadeUpNumbersAreDropped() {
        Citations citations = new Citations(3);

        String shown = through(citations, List.of("Stop at 5 m [1]. Ascend slowly [7]. Both [2, 3] and [3;1]."));

        assertThat(shown).isEqualTo("Stop at 5 m [1]. Ascend slowly . Both [2][3] and [3][1].");
        assertThat(citations.answer()).isEqualTo(shown);
    }

    @Test
    void aCitationSplitAcrossTokensIsJudgedWhole() {
        Citations citations = new Citations(2);

        assertThat(citations.accept("Stop [")).isEqualTo("Stop ");
        assertThat(citations.accept("1")).isEmpty();
        assertThat(citations.accept("2")).isEmpty();
        assertThat(citations.accept("] now [")).isEqualTo(" now ");
        assertThat(citations.accept("2] ok")).isEqualTo("[2] ok");
        assertThat(citations.finish()).isEmpty();
        assertThat(citations.answer()).isEqualTo("Stop  now [2] ok");
    }

    @Test
    void bracketsThatAreNotCitationsAreShownAsWritten() {
        Citations citations = new Citations(2);

        String shown = through(citations, List.of("See [the table] and [[1]] and [", "1a] and a dangling ["));

        assertThat(shown).isEqualTo("See [the table] and [[1]] and [1a] and a dangling [");
        assertThat(citations.answer()).isEqualTo(shown);
    }

    @Test
    void hugeNumbersDoNotBreakIt() {
        Citations citations = new Citations(2);

        assertThat(through(citations, List.of("x [99999999999999] y"))).isEqualTo("x  y");
    }
}
