package io.diveteacher.extraction;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhraseEntityExtractorTests {

    private final PhraseEntityExtractor extractor = new PhraseEntityExtractor(OntologyTests.DIVING);

    @Test
    void findsKeywordsNamesAndQuantitiesWithTheirTypes() {
        ExtractedGraph graph = extractor.extract(
                "Check the regulator before diving on EAN32 with the Divers Alert Network. Stay above 33 m.");

        assertThat(graph.entities()).extracting(ExtractedGraph.Entity::name, ExtractedGraph.Entity::type)
                .contains(org.assertj.core.groups.Tuple.tuple("regulator", "Equipment"),
                        org.assertj.core.groups.Tuple.tuple("EAN32", "GasMix"),
                        org.assertj.core.groups.Tuple.tuple("Divers Alert Network", "Concept"),
                        org.assertj.core.groups.Tuple.tuple("33 m", "Limit"));
    }

    @Test
    void quantitiesAreTheOntologysUnitsAsWholeWordsAndNoneWithoutThem() {
        String text = "Stop at 5 m for 3 minutes with 50 bar left, 32% oxygen. Not 5 mm or 12 monkeys.";

        assertThat(extractor.extract(text).entities()).filteredOn(e -> e.type().equals("Limit"))
                .extracting(ExtractedGraph.Entity::name).containsExactlyInAnyOrder("5 m", "3 minutes", "50 bar", "32%");
        var recipes = new Ontology(java.util.List.of(new Ontology.EntityType("Dish", "", null)),
                java.util.List.of(new Ontology.RelationshipType("RELATED_TO", "")), null,
                new Ontology.Quantities("Dish", java.util.List.of("g")));
        assertThat(new PhraseEntityExtractor(recipes).extract("Add 200 g of flour and 5 m of string.").entities())
                .extracting(ExtractedGraph.Entity::name).contains("200 g").doesNotContain("5 m");
        assertThat(new PhraseEntityExtractor(new Ontology(recipes.entityTypes(), recipes.relationshipTypes()))
                .extract("Add 200 g of flour.").entities()).extracting(ExtractedGraph.Entity::name).doesNotContain("200 g");
    }

    @Test
    void entitiesOfOneSentenceAreRelatedByCoOccurrenceOnly() {
        ExtractedGraph graph = extractor.extract("The regulator feeds nitrox. Buoyancy needs practice.");

        assertThat(graph.relationships()).hasSize(1);
        var relationship = graph.relationships().getFirst();
        assertThat(relationship.type()).isEqualTo("RELATED_TO");
        assertThat(relationship.description()).isEqualTo("The regulator feeds nitrox.");
        assertThat(graph.entities()).extracting(ExtractedGraph.Entity::name).contains("Buoyancy");
    }

    @Test
    void theSameThingNamedTwiceIsOneEntity() {
        ExtractedGraph graph = extractor.extract("Service the regulator. Regulators need care.");

        assertThat(graph.entities()).filteredOn(e -> e.type().equals("Equipment")).hasSize(1);
    }
}
