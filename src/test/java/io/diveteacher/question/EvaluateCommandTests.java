package io.diveteacher.question;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTests {

    private static EvaluateCommand.Result result(String file, Integer page, int rank, List<String> keywords, int found,
            long latency) {
        return new EvaluateCommand.Result(new EvaluateCommand.Question("q", file, page, keywords), rank, found, latency,
                latency / 10, rank > 0 ? 3 : 0);
    }

    @Test
    void totalsCountHitsReciprocalRanksKeywordSharesAndLatencyPercentiles() {
        List<EvaluateCommand.Result> results = List.of(
                result("a.pdf", 1, 1, List.of("5 m", "3 minutes"), 2, 100),
                result("a.pdf", 2, 2, List.of("9 m"), 0, 200),
                result("b.pdf", 1, 0, List.of(), 0, 300),
                result(null, null, 0, List.of("x", "y", "z", "w"), 1, 1000));

        EvaluateCommand.Totals totals = EvaluateCommand.totals(results, 8, "m");

        assertThat(totals.questions()).isEqualTo(4);
        assertThat(totals.hits()).isEqualTo(2);
        assertThat(totals.hitRate()).isEqualTo(0.667);
        assertThat(totals.mrr()).isEqualTo(0.5);
        assertThat(totals.keywordShare()).isEqualTo(0.417);
        assertThat(totals.unanswered()).isEqualTo(2);
        assertThat(totals.latencyMs()).isEqualTo(new EvaluateCommand.Figures(200, 1000));
        assertThat(totals.retrievalMs()).isEqualTo(new EvaluateCommand.Figures(20, 100));
    }

    @Test
    void questionsOfSeveralLanguagesGetTheirOwnFiguresBesideTheOverallOnes() {
        List<EvaluateCommand.Result> results = List.of(
                new EvaluateCommand.Result(new EvaluateCommand.Question("q", "a.pdf", 1, List.of(), true, "en"), 1, 0, 10,
                        1, 3),
                new EvaluateCommand.Result(new EvaluateCommand.Question("q", "b.pdf", 1, List.of(), true, "fr"), 0, 0, 10,
                        1, 3),
                new EvaluateCommand.Result(new EvaluateCommand.Question("q", null, null, List.of(), false, "fr"), 0, 0, 10,
                        1, 0));

        EvaluateCommand.Totals totals = EvaluateCommand.totals(results, 8, "m");

        assertThat(totals.hits()).isEqualTo(1);
        assertThat(totals.languages()).containsOnlyKeys("en", "fr");
        assertThat(totals.languages().get("en").hits()).isEqualTo(1);
        assertThat(totals.languages().get("fr").hits()).isZero();
        assertThat(totals.languages().get("fr").refusedUnanswerable()).isEqualTo(1);
        assertThat(totals.languages().get("fr").languages()).isEmpty();
        assertThat(EvaluateCommand.totals(results.subList(0, 1), 8, "m").languages()).isEmpty();
    }

    @Test
    void argumentsTakeJsonTopKAndExactlyOneExistingFile(@TempDir Path dir) throws IOException {
        Path questions = Files.writeString(dir.resolve("q.jsonl"), "{\"question\": \"q\"}\n");

        var arguments = EvaluateCommand.Arguments.parse(List.of("--json", "--top-k", "5", "--server.port=0", questions.toString()));

        assertThat(arguments.json()).isTrue();
        assertThat(arguments.topK()).isEqualTo(5);
        assertThat(arguments.file()).isEqualTo(questions);
        assertThatThrownBy(() -> EvaluateCommand.Arguments.parse(List.of())).hasMessageContaining("name one questions file");
        assertThatThrownBy(() -> EvaluateCommand.Arguments.parse(List.of("--top-k", "0", questions.toString())))
                .hasMessageContaining("--top-k must be a number from 1 to 50, was 0");
        assertThatThrownBy(() -> EvaluateCommand.Arguments.parse(List.of(dir.resolve("none.jsonl").toString())))
                .hasMessageContaining("no such file");
        assertThatThrownBy(() -> EvaluateCommand.Arguments.parse(List.of("--verbose", questions.toString())))
                .hasMessageContaining("unknown option --verbose");
    }
}
