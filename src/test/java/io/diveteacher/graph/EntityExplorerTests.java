package io.diveteacher.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class EntityExplorerTests {

    private static GraphRetrieval.Passage passage(String text, List<Integer> pageOffsets, List<Integer> pageNumbers) {
        return new GraphRetrieval.Passage("c1", text, pageNumbers.getFirst(), pageNumbers.getLast(), 50, pageOffsets,
                pageNumbers, null, "d1", "manual.pdf", "Manual", "en");
    }

    @Test
    void thePassageIsTheSentenceOfTheFirstMentionByNameOrAliasOnItsPage() {
        String text = "Buoyancy comes first. Check the gauge, e.g. the SPG, before every dive and after each entry."
                + "\n\nEnriched air extends the no-stop times of dives within its depth limits. Nitrox needs an analyser.";
        var p = passage(text, List.of(0, text.indexOf("Enriched")), List.of(3, 4));

        var byAlias = EntityExplorer.passage(p, "Nitrox", List.of("enriched air"));
        var byName = EntityExplorer.passage(p, "SPG", List.of());

        assertThat(byAlias.excerpt()).isEqualTo("Enriched air extends the no-stop times of dives within its depth limits.");
        assertThat(byAlias.page()).isEqualTo(4);
        assertThat(byName.excerpt()).isEqualTo("Check the gauge, e.g. the SPG, before every dive and after each entry.");
        assertThat(byName.page()).isEqualTo(3);
    }

    @Test
    void aHeadingAloneIsJoinedByTheSentencesAfterIt() {
        String text = "Nitrox Basics\n\nEnriched air nitrox is a breathing gas with more oxygen than air. It extends "
                + "no-stop times. Analyse every cylinder.";
        var p = passage(text, List.of(0), List.of(1));

        assertThat(EntityExplorer.passage(p, "Nitrox", List.of()).excerpt())
                .isEqualTo("Nitrox Basics Enriched air nitrox is a breathing gas with more oxygen than air.");
    }

    @Test
    void aLongSentenceIsCutBetweenWordsAndAnUnmentionedEntityShowsTheStart() {
        String text = "Nitrox " + "is a gas mixture ".repeat(40) + "indeed.";
        var p = passage(text, List.of(0), List.of(1));

        var excerpt = EntityExplorer.passage(p, "nitrox", List.of()).excerpt();

        assertThat(excerpt).startsWith("Nitrox is a gas").endsWith("…").hasSizeLessThanOrEqualTo(301);
        String kept = excerpt.substring(0, excerpt.length() - 1);
        assertThat(text).startsWith(kept);
        assertThat(text.charAt(kept.length())).isEqualTo(' ');
        assertThat(EntityExplorer.passage(p, "Trimix", List.of()).excerpt()).startsWith("Nitrox is");
    }
}
