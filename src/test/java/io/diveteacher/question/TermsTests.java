package io.diveteacher.question;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TermsTests {

    @Test
    void aFrenchQuestionKeepsItsContentWordsAndDropsFrenchFunctionWordsAndElisions() {
        Terms terms = Terms.of("Qu'est-ce que l'hyperoxie, et quelle est la durée du palier de sécurité ?", "fr");

        assertThat(terms.words()).containsExactly("hyperoxie", "durée", "palier", "sécurité");
    }

    @Test
    void numbersAndNamesOfAFrenchQuestionAreWhatItIsSpecificallyAbout() {
        Terms terms = Terms.of("Quelle est la profondeur maximale du Nitrox 40 ?", "fr");

        assertThat(terms.words()).containsExactly("profondeur", "maximale", "nitrox", "40");
        assertThat(terms.exact()).containsExactly("nitrox", "40");
    }

    @Test
    void anEnglishQuestionIsReadAsBefore() {
        Terms terms = Terms.of("How long should a safety stop last at 5 m?", "en");

        assertThat(terms.words()).containsExactly("safety", "stop", "last", "5", "m");
        assertThat(Terms.of("How long should a safety stop last at 5 m?").words()).isEqualTo(terms.words());
    }

    @Test
    void aQuestionOfUnclearLanguageDropsTheFunctionWordsOfEnglishAndFrench() {
        assertThat(Terms.of("palier de sécurité et safety stop", "und").words())
                .containsExactly("palier", "sécurité", "safety", "stop");
    }
}
