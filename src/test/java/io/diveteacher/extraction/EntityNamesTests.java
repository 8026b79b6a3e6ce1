package io.diveteacher.extraction;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EntityNamesTests {

    @Test
    void variantsOfOneNameShareOneKeyAndId() {
        assertThat(EntityNames.key(EntityNames.clean("  Safety   Stops. "))).isEqualTo("safety stop");
        assertThat(EntityNames.id(EntityNames.clean("safety stop"), "Procedure"))
                .isEqualTo(EntityNames.id(EntityNames.clean("\"Safety stops\""), "Procedure"));
        assertThat(EntityNames.key("dive computers")).isEqualTo("dive computer");
        assertThat(EntityNames.key("Surface Intervals")).isEqualTo("surface interval");
        assertThat(EntityNames.key("Breathing gases")).isEqualTo("breathing gas");
        assertThat(EntityNames.key("cylinder batteries")).isEqualTo("cylinder battery");
    }

    @Test
    void acronymsAndWordsThatOnlyLookPluralKeepTheirForm() {
        assertThat(EntityNames.key("DCS")).isEqualTo("dcs");
        assertThat(EntityNames.key("BCDs")).isEqualTo("bcd");
        assertThat(EntityNames.key("Nitrogen narcosis")).isEqualTo("nitrogen narcosis");
        assertThat(EntityNames.key("Bühlmann ZH-L16")).isEqualTo("bühlmann zh-l16");
        assertThat(EntityNames.key("pass")).isEqualTo("pass");
    }

    @Test
    void theSameNameWithAnotherTypeIsAnotherEntity() {
        assertThat(EntityNames.id("Oxygen", "GasMix")).isNotEqualTo(EntityNames.id("Oxygen", "Hazard"));
    }

    @Test
    void unusableNamesAreRejected() {
        assertThat(EntityNames.clean("  ")).isNull();
        assertThat(EntityNames.clean("...")).isNull();
        assertThat(EntityNames.clean(null)).isNull();
        assertThat(EntityNames.clean("x".repeat(121))).isNull();
        assertThat(EntityNames.clean("18 m")).isEqualTo("18 m");
        assertThat(EntityNames.clean("21%")).isEqualTo("21%");
    }
}
