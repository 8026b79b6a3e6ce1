package io.diveteacher.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** samples/ stays in step with its sources, and questions.jsonl points at pages that hold the answers. */
class SamplesTests {

    @TempDir
    Path dir;

    @Test
    void committedSamplesMatchTheirSourcesPageForPage() throws Exception {
        try (var sources = Files.list(Path.of("src/test/resources/samples-src"))) {
            List<Path> texts = sources.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
            assertThat(texts).hasSizeBetween(5, 7);
            for (Path source : texts) {
                String name = source.getFileName().toString().replace(".txt", ".pdf");
                Path regenerated = dir.resolve(name);
                TestPdfs.manual(source, regenerated);
                assertThat(pages(Path.of("samples", name))).as(name + ": run TestPdfs.main to regenerate samples/")
                        .isEqualTo(pages(regenerated)).hasSizeGreaterThan(1);
            }
        }
    }

    @Test
    void everyAnswerableQuestionPointsAtAPageThatHoldsItsKeywordsAndTheRestHaveNone() throws Exception {
        List<String> lines = Files.readAllLines(Path.of("samples/questions.jsonl")).stream().filter(l -> !l.isBlank()).toList();
        assertThat(lines).hasSizeGreaterThanOrEqualTo(10);
        int unanswerable = 0;
        for (String line : lines) {
            JsonNode question = JsonMapper.shared().readTree(line);
            assertThat(question.path("question").asString()).isNotBlank();
            if (!question.path("answerable").asBoolean(true)) {
                assertThat(question.has("expected_file")).as(question.path("question").asString()).isFalse();
                unanswerable++;
                continue;
            }
            List<String> pages = pages(Path.of("samples", question.path("expected_file").asString()));
            String page = pages.get(question.path("expected_page").asInt() - 1).toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
            assertThat(question.path("keywords")).isNotEmpty()
                    .allSatisfy(k -> assertThat(page).as(question.path("question").asString())
                            .contains(k.asString().toLowerCase(Locale.ROOT)));
        }
        // The bar: at least 10 near-domain questions the samples cannot answer, besides far-off ones.
        assertThat(unanswerable).isGreaterThanOrEqualTo(13);
    }

    private static List<String> pages(Path pdf) throws Exception {
        List<String> pages = new ArrayList<>();
        try (PdfDocument document = PdfDocument.open(pdf)) {
            document.pages().forEachRemaining(p -> pages.add(p.text()));
        }
        return pages;
    }
}
