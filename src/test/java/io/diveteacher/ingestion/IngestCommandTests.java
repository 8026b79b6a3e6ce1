package io.diveteacher.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import io.diveteacher.graph.DocumentStatus;

import org.junit.jupiter.api.Test;

class IngestCommandTests {

    @Test
    void parsesJsonFlagAndPathsAndLeavesSpringPropertiesToSpring() {
        var arguments = IngestCommand.Arguments.parse(List.of("--json", "samples", "--diveteacher.chunking.max-tokens=300"));

        assertThat(arguments.json()).isTrue();
        assertThat(arguments.recover()).isFalse();
        assertThat(IngestCommand.Arguments.parse(List.of("--recover", "samples")).recover()).isTrue();
        assertThat(arguments.paths()).containsExactly("samples");
    }

    @Test
    void refusesUnknownOptionsMissingPathsAndPathsThatDoNotExist() {
        assertThatThrownBy(() -> IngestCommand.Arguments.parse(List.of("--jsn", "samples")))
                .hasMessageContaining("unknown option --jsn").hasMessageContaining(IngestCommand.USAGE);
        assertThatThrownBy(() -> IngestCommand.Arguments.parse(List.of("--json")))
                .hasMessageContaining("name at least one folder or PDF file");
        assertThatThrownBy(() -> IngestCommand.Arguments.parse(List.of("samples", "no/such/folder")))
                .hasMessage("no such file or folder: no/such/folder");
    }

    @Test
    void theSummaryWarnsAboutFallbackModelsFirstAndListsFailuresWithTheirReasons() {
        var summary = new IngestionSummary("COMPLETED", 7, List.of(
                new IngestionSummary.DocumentResult("a.pdf", "/d/a.pdf", DocumentStatus.INGESTED, null, 3, 5, 12, 0, 0),
                new IngestionSummary.DocumentResult("b.pdf", "/d/b.pdf", DocumentStatus.FAILED, "encrypted: a password is required to open it",
                        null, 0, 0, 0, 0)),
                new IngestionSummary.Totals(2, 1, 0, 0, 1, 0, 5, 0, 0, 12, 9, 2, 3, 6, 0.974),
                new IngestionSummary.Models("all-MiniLM-L6-v2 (in-process)", "phrases", true, "Ollama is not reachable"),
                1500, List.of());

        String text = IngestCommand.render(summary);

        assertThat(text.lines().findFirst()).contains("WARNING: in-process fallback models were used (Ollama is not reachable)");
        assertThat(text).contains("Ingestion COMPLETED (execution 7) in 1.5 s")
                .containsPattern("INGESTED +3 +5 +12 +a\\.pdf")
                .contains("b.pdf  (encrypted: a password is required to open it)")
                .contains("Totals: 2 document(s): 1 ingested, 0 partial, 0 skipped (unchanged), 1 failed, 0 without text; "
                        + "5 chunks, 12 entities, 9 relationships")
                .contains("Model: 3 chunk(s) extracted, 2 from the cache; 6 model calls; slots busy 97 %")
                .doesNotContain("partly extracted");
    }

    @Test
    void theSummaryNamesPartlyIngestedDocumentsAndSaysTheNextRunRepairsThem() {
        var summary = new IngestionSummary("COMPLETED", 8, List.of(
                new IngestionSummary.DocumentResult("dense.pdf", "/d/dense.pdf", DocumentStatus.PARTIAL,
                        "2 chunk(s) only partly extracted: chunk 3 (page 2): the answer was cut off", 4, 9, 30, 1, 2)),
                new IngestionSummary.Totals(1, 0, 1, 0, 0, 0, 9, 1, 2, 30, 20, 0, 9, 14, null),
                new IngestionSummary.Models("bge-m3", "qwen2.5:7b-instruct-q8_0", false, null), 900, List.of());

        String text = IngestCommand.render(summary);

        assertThat(text).containsPattern("PARTIAL +4 +9 +30 +dense\\.pdf  \\(2 chunk\\(s\\) only partly extracted")
                .contains("0 ingested, 1 partial,")
                .contains("Model: 9 chunk(s) extracted, 0 from the cache; 14 model calls\n")
                .contains("WARNING: 1 chunk(s) skipped and 2 only partly extracted (see the PARTIAL documents above); "
                        + "the next ingestion of the same files extracts just those again");
    }
}
