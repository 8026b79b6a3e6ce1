package io.diveteacher.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.diveteacher.document.ChunkingProperties;
import io.diveteacher.extraction.Ontology;

class JobDefinitionsTests {

    private static final ChunkingProperties DEFAULTS = new ChunkingProperties(400, 0.15);

    @TempDir
    Path dir;

    private Path write(String name, String yaml) throws IOException {
        Files.createDirectories(dir.resolve("manuals"));
        return Files.writeString(dir.resolve(name), yaml);
    }

    @Test
    void aDefinitionTakesItsNameFromTheFileAndItsSourceRelativeToIt() throws Exception {
        var definition = JobDefinitions.parse(write("diving-manuals.yml", """
                source: manuals
                schedule: "0 */15 * * * *"
                delete_missing: true
                """), DEFAULTS);

        assertThat(definition.name()).isEqualTo("diving-manuals");
        assertThat(definition.source()).isEqualTo(dir.resolve("manuals").toRealPath());
        assertThat(definition.pattern()).isEqualTo("**/*.pdf");
        assertThat(definition.schedule().toString()).isEqualTo("0 */15 * * * *");
        assertThat(definition.deleteMissing()).isTrue();
    }

    @Test
    void errorsNameTheLineAndTheReason() throws Exception {
        assertError("source: manuals\nschedule: \"every day\"\n", 2, "is not a Spring cron expression");
        assertError("name: ok\nsource: nowhere\n", 2, "is not a folder");
        assertError("name: ok\n", 1, "'source' is missing");
        assertError("source: manuals\ncolour: blue\n", 2, "unknown key 'colour'");
        assertError("name: \"../evil\"\nsource: manuals\n", 1, "must be 1 to 64 letters");
        assertError("source: manuals\ndelete_missing: maybe\n", 2, "delete_missing must be true or false");
        assertError("source: [manuals\n", 2, "not valid YAML");
        assertError("source: manuals\nchunking:\n  overlap: 0.7\n", 3, "chunking: diveteacher.chunking.overlap must be in [0, 0.5)");
        assertError("source: manuals\nchunking:\n  size: 3\n", 3, "unknown key 'size' in chunking");
        assertError("source: manuals\nontology:\n  entity_types:\n    - name: lowercase\n  relationship_types:\n    - name: USES\n",
                3, "must be a CamelCase word");
        assertError("source: manuals\nontology:\n  entity_types: []\n", 3, "ontology.relationship_types is missing");
        assertError("source: manuals\nontology:\n  entity_types:\n    - name: Dish\n  relationship_types:\n    - name: USES\n"
                + "  default_entity_type: Concept\n", 3, "default-entity-type 'Concept' is not one of the entity types [Dish]");
    }

    @Test
    void aDefinitionMayBringItsOwnChunkingAndOntology() throws Exception {
        var definition = JobDefinitions.parse(write("recipes.yml", """
                source: manuals
                chunking:
                  max_tokens: 120
                ontology:
                  entity_types:
                    - name: Ingredient
                      description: something a recipe uses
                      keywords: [flour, butter]
                    - name: Concept
                    - name: Weight
                  relationship_types:
                    - name: CONTAINS
                  default_entity_type: Concept
                  quantities: {type: Weight, units: [g, kg]}
                """), DEFAULTS);

        assertThat(definition.chunking()).isEqualTo(new ChunkingProperties(120, 0.15));
        assertThat(definition.ontology().entityTypeNames()).containsExactly("Ingredient", "Concept", "Weight");
        assertThat(definition.ontology().defaultEntityType()).isEqualTo("Concept");
        assertThat(definition.ontology().quantities()).isEqualTo(new Ontology.Quantities("Weight", java.util.List.of("g", "kg")));
        assertThat(definition.ontology().entityTypes().getFirst().keywords()).containsExactly("flour", "butter");
        assertThat(definition.ontology().relationshipTypeNames()).containsExactly("CONTAINS");
    }

    @Test
    void oneBrokenFileDoesNotStopTheOthersAndDuplicateNamesAreRefused() throws Exception {
        write("a.yml", "name: same\nsource: manuals\n");
        write("b.yml", "name: same\nsource: manuals\n");
        write("c.yml", "source: manuals\nschedule: nonsense\n");
        write("d.yaml", "source: manuals\n");
        IngestionProperties properties = new IngestionProperties(8, 8, 2, 3, java.time.Duration.ofSeconds(2), 25, dir,
                dir.resolve("inbox"), java.util.List.of(), java.time.Duration.ZERO, null, true, java.time.Duration.ofSeconds(1), 64,
                new IngestionProperties.Resolution(true, 0.92, 0.85, 0.9, 5), IngestionProperties.Mode.LOCAL, false,
                new IngestionProperties.Remote("q", java.time.Duration.ofSeconds(1), null, java.time.Duration.ofHours(1), java.time.Duration.ofMinutes(2)));

        JobDefinitions definitions = new JobDefinitions(properties, DEFAULTS);

        assertThat(definitions.all()).extracting(JobDefinitions.JobDefinition::name).containsExactly("same", "d");
        assertThat(definitions.errors()).hasSize(2)
                .anySatisfy(e -> assertThat(e).contains("b.yml:1: the name 'same' is already used by a.yml"))
                .anySatisfy(e -> assertThat(e).contains("c.yml:2: schedule 'nonsense'"));
    }

    private void assertError(String yaml, int line, String reason) throws IOException {
        Path file = write("broken.yml", yaml);
        assertThatThrownBy(() -> JobDefinitions.parse(file, DEFAULTS)).isInstanceOfSatisfying(JobDefinitions.DefinitionException.class,
                e -> {
                    assertThat(e.line()).as(yaml).isEqualTo(line);
                    assertThat(e.getMessage()).as(yaml).contains(reason);
                });
    }
}
