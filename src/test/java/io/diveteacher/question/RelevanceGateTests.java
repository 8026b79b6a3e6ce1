package io.diveteacher.question;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.diveteacher.graph.GraphRetrieval.Rarity;

class RelevanceGateTests {

    /** A library of 100 chunks: "use" in 40 of them, "nitrox" in 20, "analyser" in 2, "cost" in none. */
    private static final Rarity LIBRARY = new Rarity(100, Map.of("nitrox", 20L, "analyser", 2L, "cylinder", 30L,
            "ean32", 3L, "mod", 4L, "cost", 0L, "label", 5L, "use", 40L));

    private static final String ANALYSER = "Every nitrox diver analyses the gas with an oxygen analyser before the dive.";
    private static final String MOD = "For EAN32 the MOD is 33 m; write the MOD on the cylinder label.";

    @Test
    void aPassageHoldingTheQuestionsRareWordsCoversIt() {
        var verdict = RelevanceGate.judge(Terms.of("Which nitrox analyser should I use?"), LIBRARY,
                List.of(MOD, ANALYSER), 0.5);

        assertThat(verdict.covered()).isTrue();
        assertThat(verdict.coverage()).isGreaterThan(0.8);
        assertThat(verdict.missing()).as("\"use\" is in no chosen passage").containsExactly("use");
    }

    @Test
    void aWordInNoChunkOfTheLibraryWeighsMostSoPassagesOnTheTopicAloneDoNotCoverIt() {
        var verdict = RelevanceGate.judge(Terms.of("What does a nitrox analyser cost?"), LIBRARY, List.of(ANALYSER), 0.5);

        // cost: ln(101/1) = 4.6 of 4.6 + 1.6 (nitrox) + 3.5 (analyser): the passage holds 0.53 of the weight...
        assertThat(verdict.missing()).containsExactly("cost");
        assertThat(verdict.coverage()).isBetween(0.5, 0.55);
        // ...which a stricter setting turns down.
        assertThat(RelevanceGate.judge(Terms.of("What does a nitrox analyser cost?"), LIBRARY, List.of(ANALYSER), 0.6)
                .covered()).isFalse();
    }

    @Test
    void everyNumberAndNameOfTheQuestionMustBeInOnePassage() {
        assertThat(RelevanceGate.judge(Terms.of("What is the MOD of EAN32?"), LIBRARY, List.of(MOD), 0.5).covered())
                .isTrue();
        var verdict = RelevanceGate.judge(Terms.of("What is the MOD of EAN40?"), LIBRARY, List.of(MOD), 0.5);
        assertThat(verdict.covered()).isFalse();
        assertThat(verdict.missing()).containsExactly("ean40");
        // The number 40 is what the question is about, even with every other word in the passage.
        assertThat(RelevanceGate.judge(Terms.of("Write the MOD on the cylinder label at 40 m?"), LIBRARY, List.of(MOD),
                0.5).covered()).isFalse();
    }

    @Test
    void aQuestionOfWordsCommonToTheWholeLibraryIsLeftToTheSimilarityThreshold() {
        Rarity everywhere = new Rarity(10, Map.of("dive", 10L));

        assertThat(RelevanceGate.judge(Terms.of("How do I dive?"), everywhere, List.of("Dive with a buddy."), 0.5)
                .covered()).isTrue();
    }

    @Test
    void questionFormWordsNeitherFindNorRuleOutAPassage() {
        assertThat(Terms.of("How long and how often should it be done?").words()).isEmpty();
        assertThat(Terms.of("What is the MOD of EAN32 at 1.4 bar, says Bühlmann?").exact())
                .containsExactly("mod", "ean32", "1.4", "bühlmann");
    }
}
