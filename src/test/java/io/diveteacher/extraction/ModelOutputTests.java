package io.diveteacher.extraction;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModelOutputTests {

    private static final String JSON = """
            {"entities": [{"name": "EAN32", "type": "GasMix", "description": "Nitrox with 32% {oxygen}."},
                          {"name": "MOD", "type": "Limit", "description": "Depth limit \\"of\\" a mix."}],
             "relationships": [{"source": "EAN32", "target": "MOD", "type": "LIMITS", "description": "d"}]}""";

    @Test
    void parsesAPlainObjectAsLossless() {
        ModelOutput.Parsed parsed = ModelOutput.parse(JSON);

        assertThat(parsed.lossless()).isTrue();
        assertThat(parsed.json().path("entities")).hasSize(2);
        assertThat(parsed.json().path("entities").get(0).path("description").asString()).isEqualTo("Nitrox with 32% {oxygen}.");
    }

    @Test
    void stripsMarkdownFencesAndProseAroundTheObjectWithoutCountingThemAsLoss() {
        ModelOutput.Parsed fenced = ModelOutput.parse("```json\n" + JSON + "\n```");
        ModelOutput.Parsed prose = ModelOutput.parse("Sure! Here it is:\n" + JSON + "\nLet me know if you need more.");

        assertThat(fenced.json().path("relationships")).hasSize(1);
        assertThat(fenced.lossless()).isTrue();
        assertThat(prose.json().path("entities")).hasSize(2);
        assertThat(prose.lossless()).isTrue();
    }

    @Test
    void closesAnAnswerCutOffMidElementAfterItsLastCompleteElementAndSaysSomethingWasDropped() {
        String cut = JSON.substring(0, JSON.indexOf("\"MOD\", \"type\"") + 8);

        ModelOutput.Parsed parsed = ModelOutput.parse(cut);

        assertThat(parsed.json().path("entities")).hasSize(1);
        assertThat(parsed.json().path("entities").get(0).path("name").asString()).isEqualTo("EAN32");
        assertThat(parsed.lossless()).isFalse();
        assertThat(parsed.dropped()).contains("ends mid-way");
    }

    @Test
    void aSecondObjectAfterTheFirstIsReportedAsDroppedContent() {
        ModelOutput.Parsed parsed = ModelOutput.parse(JSON + "\n{\"entities\": [{\"name\": \"Oxygen\"}]}");

        assertThat(parsed.json().path("entities")).hasSize(2);
        assertThat(parsed.lossless()).isFalse();
        assertThat(parsed.dropped()).contains("text after the JSON object");
    }

    @Test
    void refusesWhatCannotBeRepairedSafely() {
        assertThat(ModelOutput.parse("I cannot help with that.").json()).isNull();
        assertThat(ModelOutput.parse("{\"entities\": [{\"name\": \"EA").json()).isNull();
        assertThat(ModelOutput.parse("{\"entities\": ]").json()).isNull();
        assertThat(ModelOutput.parse("").json()).isNull();
        assertThat(ModelOutput.parse(null).json()).isNull();
        assertThat(ModelOutput.parse(null).lossless()).isFalse();
    }
}
