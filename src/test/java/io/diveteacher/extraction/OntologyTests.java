package io.diveteacher.extraction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class OntologyTests {

    static final Ontology DIVING = new Ontology(
            List.of(new Ontology.EntityType("Equipment", "gear", List.of("regulator", "dive computer")),
                    new Ontology.EntityType("GasMix", "gas", List.of("nitrox", "ean32")),
                    new Ontology.EntityType("Limit", "numbers", List.of("no-stop limit")),
                    new Ontology.EntityType("Concept", "other", List.of("buoyancy"))),
            List.of(new Ontology.RelationshipType("USES", "uses"), new Ontology.RelationshipType("RELATED_TO", "any")),
            "Concept", new Ontology.Quantities("limit", List.of("m", "metres", "min", "minutes", "bar", "%")));

    @Test
    void typeNamesThatCouldInjectCypherAreRefused() {
        assertThatThrownBy(() -> new Ontology(List.of(new Ontology.EntityType("Gear`) DETACH DELETE (n", "", null)),
                DIVING.relationshipTypes())).hasMessageContaining("must be a CamelCase word");
        assertThatThrownBy(() -> new Ontology(DIVING.entityTypes(), List.of(new Ontology.RelationshipType("uses it", ""))))
                .hasMessageContaining("UPPER_SNAKE_CASE");
        assertThatThrownBy(() -> new Ontology(List.of(), DIVING.relationshipTypes())).hasMessageContaining("at least one");
    }

    @Test
    void theShippedDivingOntologyBindsWithItsDefaultTypeAndQuantities() throws Exception {
        var sources = new org.springframework.boot.env.YamlPropertySourceLoader()
                .load("application.yml", new org.springframework.core.io.ClassPathResource("application.yml"));
        var binder = new org.springframework.boot.context.properties.bind.Binder(
                org.springframework.boot.context.properties.source.ConfigurationPropertySources.from(sources));

        Ontology ontology = binder.bind("diveteacher.ontology", Ontology.class).get();

        assertThat(ontology.entityTypeNames()).contains("Procedure", "Equipment", "Limit", "Concept");
        assertThat(ontology.defaultEntityType()).isEqualTo("Concept");
        assertThat(ontology.quantities().type()).isEqualTo("Limit");
        assertThat(ontology.quantities().units()).contains("m", "bar", "minutes", "%");
    }

    @Test
    void theDefaultTypeIsTheLastUnlessConfiguredAndMustBeAnEntityType() {
        var entityTypes = List.of(new Ontology.EntityType("Ingredient", "", null), new Ontology.EntityType("Dish", "", null));
        var relationshipTypes = List.of(new Ontology.RelationshipType("CONTAINS", ""));

        assertThat(new Ontology(entityTypes, relationshipTypes).defaultEntityType()).isEqualTo("Dish");
        assertThat(new Ontology(entityTypes, relationshipTypes).quantities()).isNull();
        assertThat(new Ontology(entityTypes, relationshipTypes, "ingredient", null).defaultEntityType()).isEqualTo("Ingredient");
        assertThatThrownBy(() -> new Ontology(entityTypes, relationshipTypes, "Concept", null))
                .hasMessageContaining("default-entity-type 'Concept' is not one of the entity types [Ingredient, Dish]");
        assertThatThrownBy(() -> new Ontology(entityTypes, relationshipTypes, null, new Ontology.Quantities("Weight", List.of("g"))))
                .hasMessageContaining("quantities.type 'Weight' is not one of the entity types");
        assertThatThrownBy(() -> new Ontology.Quantities("Dish", List.of(" "))).hasMessageContaining("at least one unit");
        assertThat(DIVING.quantities().type()).isEqualTo("Limit");
    }

    @Test
    void typesFromAModelAreMatchedCaseInsensitivelyAndUnknownOnesFallBack() {
        assertThat(DIVING.entityType("gasmix")).contains("GasMix");
        assertThat(DIVING.entityType("Weapon")).isEmpty();
        assertThat(DIVING.defaultEntityType()).isEqualTo("Concept");
        assertThat(DIVING.relationshipType("related to")).contains("RELATED_TO");
        assertThat(DIVING.defaultRelationshipType()).isEqualTo("RELATED_TO");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theExtractionSchemaEnumeratesTheOntologyTypes() {
        Map<String, Object> schema = LlmEntityExtractor.schema(DIVING);
        var properties = (Map<String, Object>) schema.get("properties");
        var entityItems = (Map<String, Object>) ((Map<String, Object>) properties.get("entities")).get("items");
        var entityType = (Map<String, Object>) ((Map<String, Object>) entityItems.get("properties")).get("type");
        assertThat(entityType.get("enum")).isEqualTo(List.of("Equipment", "GasMix", "Limit", "Concept"));
        assertThat(schema.get("required")).isEqualTo(List.of("entities", "relationships"));
    }
}
