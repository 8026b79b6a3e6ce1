package io.diveteacher.question;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.diveteacher.graph.GraphRetrieval;

class ExcerptTests {

    private static final String TEXT = """
            Care of Equipment

            Rinse your equipment in fresh water after every dive. The regulator reduces the cylinder pressure, \
            often 200 bar. Have the regulator serviced once a year by a qualified technician. Cylinders need a \
            visual inspection every year.""";

    @Test
    void theExcerptCentresOnTheSentenceWithTheRarestWordsOfTheQuestion() {
        Terms terms = Terms.of("How often should a regulator be serviced?")
                .weightedBy(List.of(TEXT, "The regulator has two stages and often freezes.", "Check your air often."));

        Excerpt excerpt = Excerpt.of(TEXT, terms, 300);

        assertThat(TEXT.substring(excerpt.offset())).startsWith("Have the regulator serviced once a year");
        assertThat(excerpt.text()).contains("serviced once a year").hasSizeLessThanOrEqualTo(300);
    }

    @Test
    void aLongPassageIsCutAtAWordWithAnEllipsis() {
        String text = "The regulator " + "delivers air on demand and ".repeat(30) + "stops.";

        Excerpt excerpt = Excerpt.of(text, Terms.of("regulator"), 100);

        assertThat(excerpt.text()).hasSizeLessThanOrEqualTo(100).endsWith("…").startsWith("The regulator delivers");
    }

    @Test
    void theCitedPageIsThePageOfTheExcerptNotOfTheChunksStart() {
        String text = "Page two ends here with buoyancy. Page three talks about the safety stop at 5 m.";
        var passage = new GraphRetrieval.Passage("c", text, 2, 3, 20, List.of(0, text.indexOf("Page three")), List.of(2, 3),
                null, "d", "manual.pdf", null, "en");

        Excerpt excerpt = Excerpt.of(text, Terms.of("safety stop depth"), 300);

        assertThat(passage.pageAt(excerpt.offset())).isEqualTo(3);
        assertThat(passage.pageAt(0)).isEqualTo(2);
        assertThat(passage.document()).isEqualTo("manual.pdf");
    }

    @Test
    void questionWordsLeaveOutFunctionWordsAndMakeASafeLuceneQuery() {
        Terms terms = Terms.of("What is the MOD of EAN32 (in metres)? AND/OR \"quotes\" *wild*");

        assertThat(terms.words()).containsExactly("mod", "ean32", "metre", "quote", "wild");
        assertThat(terms.luceneQuery()).doesNotContain("AND", "(", "\"", "*", "?").contains("ean32", "metre metres");
        assertThat(terms.coverage("The maximum operating depth (MOD) of EAN32 is 34 metres.")).isEqualTo(0.6);
    }
}
