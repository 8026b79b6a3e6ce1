package io.diveteacher.extraction;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

class ModelOutputTests {

    private static final String JSON = """
            {"entities": [{"name": "EAN32", "type": "GasMix", "description": "Nitrox with 32% {oxygen}."},
                          {"name": "MOD", "type": "Limit", "description": "Depth limit \\"of\\" a mix."}],
             "relationships": [{"source": "EAN32", "target": "MOD", "type": "LIMITS", "description": "d"}]}""";

    @Test
    void parsesAPlainObject() {
        JsonNode node = ModelOutput.parse(JSON);
        assertThat(node.path("entities")).hasSize(2);
        assertThat(node.path("entities").get(0).path("description").asString()).isEqualTo("Nitrox with 32% {oxygen}.");
    }

    @Test
    void stripsMarkdownFencesAndProseAroundTheObject() {
        assertThat(ModelOutput.parse("```json\n" + JSON + "\n```").path("relationships")).hasSize(1);
        assertThat(ModelOutput.parse("Sure! Here it is:\n" + JSON + "\nLet me know if you need more.").path("entities")).hasSize(2);
    }

    @Test
    void closesAnAnswerCutOffMidElementAfterItsLastCompleteElement() {
        String cut = JSON.substring(0, JSON.indexOf("\"MOD\", \"type\"") + 8);

        JsonNode node = ModelOutput.parse(cut);

        assertThat(node.path("entities")).hasSize(1);
        assertThat(node.path("entities").get(0).path("name").asString()).isEqualTo("EAN32");
    }

    @Test
    void refusesWhatCannotBeRepairedSafely() {
        assertThat(ModelOutput.parse("I cannot help with that.")).isNull();
        assertThat(ModelOutput.parse("{\"entities\": [{\"name\": \"EA")).isNull();
        assertThat(ModelOutput.parse("{\"entities\": ]")).isNull();
        assertThat(ModelOutput.parse("")).isNull();
        assertThat(ModelOutput.parse(null)).isNull();
    }
}
