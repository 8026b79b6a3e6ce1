package io.diveteacher.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    /** Passages of a diving manual in the six languages with their own index, as the chunker would cut them. */
    static final Map<String, String> PROSE = Map.of(
            "en", """
                    Before every dive, check your equipment with your buddy. The regulator should breathe easily, the \
                    cylinder must be full and the weights should be easy to release. During the ascent, keep a rate of \
                    no more than nine metres per minute and make a safety stop of three minutes at five metres. This is \
                    the best way to reduce the risk of decompression sickness when you have been deep.""",
            "fr", """
                    Avant chaque plongée, vérifiez votre équipement avec votre binôme. Le détendeur doit fonctionner \
                    sans effort, la bouteille doit être pleine et le lest doit pouvoir être largué facilement. Pendant \
                    la remontée, la vitesse ne doit pas dépasser neuf mètres par minute, et un palier de sécurité de \
                    trois minutes à cinq mètres est recommandé. Les plongeurs qui sont restés longtemps au fond \
                    doivent être particulièrement prudents avec leur vitesse de remontée.""",
            "de", """
                    Vor jedem Tauchgang wird die Ausrüstung mit dem Tauchpartner geprüft. Der Atemregler muss sich \
                    leicht atmen lassen, die Flasche muss voll sein und das Blei muss sich schnell abwerfen lassen. \
                    Beim Aufstieg darf die Geschwindigkeit nicht mehr als neun Meter pro Minute betragen, und ein \
                    Sicherheitsstopp von drei Minuten auf fünf Metern ist empfohlen. Das gilt auch für Taucher, die \
                    nur kurz in der Tiefe waren.""",
            "es", """
                    Antes de cada inmersión, revise el equipo con su compañero. El regulador debe respirar sin \
                    esfuerzo, la botella tiene que estar llena y los lastres se deben soltar con facilidad. Durante el \
                    ascenso, la velocidad no debe superar los nueve metros por minuto y es muy recomendable hacer una \
                    parada de seguridad de tres minutos a cinco metros. También es importante controlar el aire que \
                    queda en la botella, porque el consumo aumenta con la profundidad.""",
            "it", """
                    Prima di ogni immersione, controlla l'attrezzatura con il tuo compagno. L'erogatore deve \
                    respirare senza sforzo, la bombola deve essere piena e la zavorra deve essere facile da sganciare. \
                    Durante la risalita, la velocità non deve superare i nove metri al minuto ed è consigliata una \
                    sosta di sicurezza di tre minuti a cinque metri. Anche i subacquei che sono stati poco tempo in \
                    profondità devono rispettare questa regola, perché l'azoto si accumula nei tessuti.""",
            "pt", """
                    Antes de cada mergulho, verifique o equipamento com o seu companheiro. O regulador deve respirar \
                    sem esforço, o cilindro tem de estar cheio e os lastros devem ser fáceis de largar. Durante a \
                    subida, a velocidade não pode ultrapassar nove metros por minuto e é recomendada uma paragem de \
                    segurança de três minutos a cinco metros. Os mergulhadores que estiveram muito tempo no fundo \
                    também são aconselhados a fazer uma paragem mais longa, pelo menos em águas frias.""");

    /** Neighbours of those languages, which share some of their function words. */
    static final List<String> NEIGHBOURS = List.of("""
                    Voor elke duik wordt de uitrusting met de buddy gecontroleerd. De ademautomaat moet licht ademen, \
                    de fles moet vol zijn en het lood moet gemakkelijk los te maken zijn. Tijdens de opstijging is de \
                    snelheid niet meer dan negen meter per minuut en een veiligheidsstop van drie minuten op vijf \
                    meter is aanbevolen. Dat was altijd zo en het is nog steeds de beste manier.""", """
                    Abans de cada immersió, reviseu l'equip amb el vostre company. El regulador ha de respirar sense \
                    esforç, l'ampolla ha d'estar plena i els ploms s'han de poder deixar anar fàcilment. Durant \
                    l'ascens, la velocitat no ha de superar els nou metres per minut i es recomana una parada de \
                    seguretat de tres minuts a cinc metres per a tots els bussejadors.""", """
                    Înainte de fiecare scufundare, verificați echipamentul cu partenerul. Detentorul trebuie să \
                    respire ușor, butelia trebuie să fie plină și lestul trebuie să poată fi eliberat ușor. În timpul \
                    urcării, viteza nu trebuie să depășească nouă metri pe minut și este recomandată o oprire de \
                    siguranță de trei minute la cinci metri pentru toți scafandrii.""", """
                    Före varje dyk kontrolleras utrustningen tillsammans med parkamraten. Regulatorn ska vara lätt \
                    att andas i, flaskan ska vara full och vikterna ska gå att släppa snabbt. Under uppstigningen får \
                    hastigheten inte vara mer än nio meter per minut och ett säkerhetsstopp på tre minuter på fem \
                    meter rekommenderas för alla dykare.""", """
                    Przed każdym nurkowaniem sprawdź sprzęt razem z partnerem. Automat oddechowy musi działać lekko, \
                    butla musi być pełna, a balast musi dać się łatwo zrzucić. Podczas wynurzania prędkość nie może \
                    przekraczać dziewięciu metrów na minutę i zalecany jest przystanek bezpieczeństwa na pięciu \
                    metrach przez trzy minuty dla każdego nurka.""");

    @Test
    void plainProseInAnIndexedLanguageIsToldByItsFunctionWordsAsTheDetectorTellsIt() {
        PROSE.forEach((language, text) -> {
            assertThat(Languages.FunctionWords.language(text)).as(language).isEqualTo(language);
            assertThat(Languages.ofPassage(text)).as(language).isEqualTo(language);
        });
    }

    @Test
    void functionWordsLeaveNeighbourLanguagesMixesAndShortTextsToTheDetector() {
        for (String text : NEIGHBOURS) {
            assertThat(Languages.FunctionWords.language(text)).as(text).isNull();
        }
        assertThat(Languages.FunctionWords.language(PROSE.get("en").substring(0, 180) + " "
                + PROSE.get("fr").substring(0, 180))).as("half English, half French").isNull();
        assertThat(Languages.FunctionWords.language("The safety stop is three minutes at five metres."))
                .as("too short to be sure").isNull();
        assertThat(Languages.FunctionWords.language("EAN32 1.4 bar MOD 33 m; EAN36 1.4 bar MOD 29 m; air 56 m"))
                .isNull();
    }

    @Test
    void whereFunctionWordsDecideTheDetectorAgreesOnEveryPassageOfTheSamplesAndAGeneratedManual(@TempDir Path dir)
            throws Exception {
        List<Path> files = new ArrayList<>();
        try (var samples = Files.list(Path.of("samples"))) {
            samples.filter(p -> p.toString().endsWith(".pdf")).forEach(files::add);
        }
        TestPdfs.variedManual(dir.resolve("varied.pdf"), 40, 7);
        files.add(dir.resolve("varied.pdf"));
        Chunker chunker = new Chunker(new ChunkingProperties(400, 0.15));
        int decided = 0;
        int passages = 0;
        for (Path file : files) {
            try (PdfDocument pdf = PdfDocument.open(file)) {
                for (var chunks = chunker.chunks("d", "c", pdf.pages()); chunks.hasNext(); ) {
                    String text = chunks.next().text();
                    String sample = text.length() > Languages.PASSAGE_SAMPLE
                            ? text.substring(0, Languages.PASSAGE_SAMPLE) : text;
                    String byWords = Languages.FunctionWords.language(sample);
                    passages++;
                    if (byWords != null) {
                        decided++;
                        assertThat(Languages.detectedByNgrams(sample)).as("%s: %s", file.getFileName(), sample)
                                .isEqualTo(byWords);
                    }
                }
            }
        }
        for (String text : NEIGHBOURS) {
            assertThat(Languages.ofPassage(text)).isEqualTo(Languages.detectedByNgrams(text));
        }
        assertThat(decided).as("passages told by their function words, of %d", passages)
                .isGreaterThan(passages * 3 / 4);
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
