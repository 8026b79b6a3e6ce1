package io.diveteacher.question;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NotInTheDocumentsTests {

    private static String stream(NotInTheDocuments marker, String... pieces) {
        StringBuilder shown = new StringBuilder();
        for (String piece : pieces) {
            shown.append(marker.accept(piece));
        }
        return shown.append(marker.finish()).toString();
    }

    @Test
    void theMarkerSplitAcrossPiecesIsNeverShown() {
        NotInTheDocuments marker = new NotInTheDocuments();

        assertThat(stream(marker, " NOT", "_IN_THE", "_DOC", "UMENTS", ".")).isEmpty();
        assertThat(marker.said()).isTrue();
    }

    @Test
    void anAnswerThatOnlyBeginsLikeTheMarkerIsShownWhole() {
        NotInTheDocuments marker = new NotInTheDocuments();

        assertThat(stream(marker, "No", "t more than 9 m", " per minute [1].")).isEqualTo("Not more than 9 m per minute [1].");
        assertThat(marker.said()).isFalse();
    }

    @Test
    void aShortAnswerHeldBackIsShownWhenTheStreamEnds() {
        NotInTheDocuments marker = new NotInTheDocuments();

        assertThat(stream(marker, "NOT")).isEqualTo("NOT");
        assertThat(marker.said()).isFalse();
    }

    @Test
    void theMarkerWrittenAfterASentenceStillCounts() {
        NotInTheDocuments marker = new NotInTheDocuments();

        assertThat(stream(marker, "The passages are about analysers. ", "NOT_IN_THE_DOCUMENTS"))
                .startsWith("The passages");
        assertThat(marker.said()).isTrue();
    }

    @Test
    void theAnswerPromptOffersTheMarker() {
        assertThat(new AnswerPrompt().system()).contains(NotInTheDocuments.MARKER);
    }
}
