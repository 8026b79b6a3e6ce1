package io.diveteacher.document;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LanguagesTests {

    @Test
    void passagesAreTaggedWithTheirLanguage() {
        assertThat(Languages.ofPassage("""
                A safety stop of three minutes at five metres is recommended at the end of every dive, even when \
                the dive computer shows no decompression obligation.""")).isEqualTo("en");
        assertThat(Languages.ofPassage("""
                Un palier de sécurité de trois minutes à cinq mètres est recommandé à la fin de chaque plongée, même \
                lorsque l'ordinateur n'indique aucun palier obligatoire.""")).isEqualTo("fr");
        assertThat(Languages.ofPassage("""
                Ein Sicherheitsstopp von drei Minuten auf fünf Metern wird am Ende jedes Tauchgangs empfohlen, auch \
                wenn der Tauchcomputer keine Dekompressionspflicht anzeigt.""")).isEqualTo("de");
        assertThat(Languages.ofPassage("""
                Se recomienda una parada de seguridad de tres minutos a cinco metros al final de cada inmersión, \
                incluso cuando el ordenador no indica ninguna obligación de descompresión.""")).isEqualTo("es");
    }

    @Test
    void questionsAreTaggedWhenTheDetectorIsSureAndUndeterminedOtherwise() {
        assertThat(Languages.ofQuestion("Quelle est la durée du palier de sécurité ?")).isEqualTo("fr");
        assertThat(Languages.ofQuestion("How long should a safety stop last?")).isEqualTo("en");
        assertThat(Languages.ofQuestion("EAN32 MOD")).isEqualTo(Languages.UNDETERMINED);
        assertThat(Languages.ofQuestion("  ")).isEqualTo(Languages.UNDETERMINED);
        assertThat(Languages.ofPassage("")).isEqualTo(Languages.UNDETERMINED);
    }
}
