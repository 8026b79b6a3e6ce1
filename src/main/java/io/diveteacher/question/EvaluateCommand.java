package io.diveteacher.question;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.springframework.stereotype.Component;

import io.diveteacher.command.CommandLine;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code evaluate [--json] [--top-k N] <questions.jsonl>}: asks every question through the query pipeline and
 * reports whether the expected file and page are among the sources (hit@k, and the rank of the first hit),
 * the share of the expected keywords found in the answer, how often it says "the documents do not say" (refusal
 * precision and recall, against the questions marked {@code "answerable": false}), and latency (after one untimed
 * warm-up question).
 * Exit code 0 when it ran, 2 for a
 * usage error or an unreadable question file.
 */
@Component
public class EvaluateCommand {

    public static final String USAGE = "usage: evaluate [--json] [--top-k N] <questions.jsonl>";

    private final QuestionAnswering answering;
    private final QueryProperties properties;
    private final JsonMapper json;

    EvaluateCommand(QuestionAnswering answering, QueryProperties properties, JsonMapper json) {
        this.answering = answering;
        this.properties = properties;
        this.json = json;
    }

    /** Command-line arguments after {@code evaluate}; {@code --name=value} options are Spring properties. */
    public record Arguments(boolean json, Integer topK, Path file) {

        public static Arguments parse(List<String> args) {
            CommandLine line = CommandLine.parse(args, Set.of("--json"), Set.of("--top-k"), USAGE);
            List<String> files = line.operands();
            Integer topK = line.options().containsKey("--top-k") ? topK(line.options().get("--top-k")) : null;
            boolean json = line.has("--json");
            if (files.size() != 1) {
                throw new IllegalArgumentException("name one questions file (JSON lines)\n" + USAGE);
            }
            Path file = Path.of(files.getFirst());
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no such file: " + file.toAbsolutePath());
            }
            return new Arguments(json, topK, file);
        }

        private static int topK(String value) {
            try {
                int k = Integer.parseInt(value);
                if (k >= 1 && k <= QueryProperties.MAX_TOP_K) {
                    return k;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new IllegalArgumentException("--top-k must be a number from 1 to 50, was " + value + "\n" + USAGE);
        }
    }

    /**
     * One line of the questions file; {@code answerable} false for a question the documents cannot answer;
     * {@code language} the ISO 639-1 code of the language it is asked in ({@code en} unless the line says).
     */
    record Question(String question, String expectedFile, Integer expectedPage, List<String> keywords,
            boolean answerable, String language) {

        Question(String question, String expectedFile, Integer expectedPage, List<String> keywords) {
            this(question, expectedFile, expectedPage, keywords, true, "en");
        }

        Question(String question, String expectedFile, Integer expectedPage, List<String> keywords,
                boolean answerable) {
            this(question, expectedFile, expectedPage, keywords, answerable, "en");
        }
    }

    /** How one question went. {@code rank} is the position of the first source at the expected page, 0 for none. */
    record Result(Question question, int rank, int keywordsFound, long latencyMs, long retrievalMs, int sources) {

        /** Answered "the documents do not say". */
        boolean refused() {
            return sources == 0;
        }
    }

    /**
     * Figures over all questions. {@code unanswered}: answerable questions refused. Refusal precision: the share
     * of refused questions that were unanswerable (1 when none was refused); recall: the share of unanswerable
     * questions refused (1 when there are none). {@code languages}: the same figures for the questions of each
     * language, when there are several (empty otherwise, and in those figures themselves).
     */
    public record Totals(int questions, int topK, int hits, double hitRate, double mrr, double keywordShare,
            int unanswered, int unanswerable, int refusedUnanswerable, double refusalPrecision, double refusalRecall,
            Figures latencyMs, Figures retrievalMs, String model, Map<String, Totals> languages) {
    }

    /** Median and 95th percentile (nearest rank). */
    public record Figures(long median, long p95) {

        static Figures of(List<Long> values) {
            List<Long> sorted = values.stream().sorted().toList();
            if (sorted.isEmpty()) {
                return new Figures(0, 0);
            }
            return new Figures(sorted.get(rank(sorted.size(), 0.5)), sorted.get(rank(sorted.size(), 0.95)));
        }

        private static int rank(int size, double quantile) {
            return Math.max(0, (int) Math.ceil(quantile * size) - 1);
        }
    }

    /** What to print and the exit code. */
    public CommandLine.Outcome run(Arguments arguments) throws IOException {
        List<Question> questions;
        try {
            questions = read(arguments.file());
        } catch (IllegalArgumentException e) {
            return new CommandLine.Outcome(2, "evaluate: " + e.getMessage() + "\n");
        }
        int topK = arguments.topK() == null ? properties.defaultTopK() : arguments.topK();
        // One untimed question first: the first answer of a process also pays for class loading, query planning
        // and loading the models into memory, which is not what a steady-state latency figure should show.
        answering.answer(questions.getFirst().question(), topK, QuestionAnswering.Listener.NONE);
        List<Result> results = new ArrayList<>();
        String model = null;
        for (Question question : questions) {
            long started = System.nanoTime();
            Answer answer = answering.answer(question.question(), topK, QuestionAnswering.Listener.NONE);
            long latency = (System.nanoTime() - started) / 1_000_000;
            if (answer.numSources() > 0) {
                model = answer.model();
            }
            int rank = 0;
            for (Source source : answer.sources()) {
                if (source.file().equals(question.expectedFile())
                        && (question.expectedPage() == null || source.page() == question.expectedPage())) {
                    rank = source.n();
                    break;
                }
            }
            String text = answer.answer().toLowerCase(Locale.ROOT);
            int found = (int) question.keywords().stream().filter(k -> text.contains(k.toLowerCase(Locale.ROOT))).count();
            results.add(new Result(question, rank, found, latency, answer.timings().retrievalMs(), answer.numSources()));
        }
        Totals totals = totals(results, topK, model == null ? QuestionAnswering.NO_MODEL : model);
        String output = render(results, totals) + (arguments.json() ? json.writeValueAsString(totals) + "\n" : "");
        return new CommandLine.Outcome(0, output);
    }

    static Totals totals(List<Result> results, int topK, String model) {
        Map<String, List<Result>> byLanguage = new TreeMap<>();
        results.forEach(r -> byLanguage.computeIfAbsent(r.question().language(), l -> new ArrayList<>()).add(r));
        Map<String, Totals> languages = new LinkedHashMap<>();
        if (byLanguage.size() > 1) {
            byLanguage.forEach((language, theirs) -> languages.put(language, totalsOf(theirs, topK, model, Map.of())));
        }
        return totalsOf(results, topK, model, languages);
    }

    private static Totals totalsOf(List<Result> results, int topK, String model, Map<String, Totals> languages) {
        List<Result> withExpectation = results.stream()
                .filter(r -> r.question().answerable() && r.question().expectedFile() != null).toList();
        int hits = (int) withExpectation.stream().filter(r -> r.rank() > 0).count();
        double mrr = withExpectation.stream().mapToDouble(r -> r.rank() > 0 ? 1.0 / r.rank() : 0).average().orElse(0);
        List<Result> withKeywords = results.stream().filter(r -> !r.question().keywords().isEmpty()).toList();
        double keywordShare = withKeywords.stream()
                .mapToDouble(r -> (double) r.keywordsFound() / r.question().keywords().size()).average().orElse(0);
        int unanswered = (int) results.stream().filter(r -> r.question().answerable() && r.refused()).count();
        int unanswerable = (int) results.stream().filter(r -> !r.question().answerable()).count();
        int refusedUnanswerable = (int) results.stream().filter(r -> !r.question().answerable() && r.refused()).count();
        int refused = unanswered + refusedUnanswerable;
        return new Totals(results.size(), topK, hits, round(withExpectation.isEmpty() ? 0 : (double) hits / withExpectation.size()),
                round(mrr), round(keywordShare), unanswered, unanswerable, refusedUnanswerable,
                round(refused == 0 ? 1 : (double) refusedUnanswerable / refused),
                round(unanswerable == 0 ? 1 : (double) refusedUnanswerable / unanswerable),
                Figures.of(results.stream().map(Result::latencyMs).toList()),
                Figures.of(results.stream().map(Result::retrievalMs).toList()), model, languages);
    }

    private static String render(List<Result> results, Totals totals) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "  %3s  %-4s  %4s  %8s  %-7s  %8s  %s%n", "#", "HIT", "RANK", "KEYWORDS",
                "REFUSED", "LATENCY", "QUESTION"));
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            String hit = !r.question().answerable() || r.question().expectedFile() == null ? "-" : r.rank() > 0 ? "yes" : "NO";
            String keywords = r.question().keywords().isEmpty() ? "-" : r.keywordsFound() + "/" + r.question().keywords().size();
            String question = r.question().question();
            // Refusing an unanswerable question is right ("yes"); refusing an answerable one is a miss ("YES").
            String refused = !r.refused() ? (r.question().answerable() ? "no" : "NO") : r.question().answerable() ? "YES" : "yes";
            out.append(String.format(Locale.ROOT, "  %3d  %-4s  %4s  %8s  %-7s  %5d ms  %s%n", i + 1, hit,
                    r.rank() > 0 ? String.valueOf(r.rank()) : "-", keywords, refused, r.latencyMs(),
                    question.length() > 70 ? question.substring(0, 69) + "…" : question));
        }
        out.append(String.format(Locale.ROOT, "hit@%d: %d/%d (%.1f%%), MRR %.3f; keywords found in answers: %.1f%%; "
                + "%d answerable refused%n", totals.topK(), totals.hits(),
                results.stream().filter(r -> r.question().answerable() && r.question().expectedFile() != null).count(),
                totals.hitRate() * 100, totals.mrr(), totals.keywordShare() * 100, totals.unanswered()));
        out.append(String.format(Locale.ROOT, "refusals (\"the documents do not say\"): %d/%d unanswerable refused, "
                + "recall %.3f, precision %.3f%n", totals.refusedUnanswerable(), totals.unanswerable(),
                totals.refusalRecall(), totals.refusalPrecision()));
        totals.languages().forEach((language, theirs) -> out.append(String.format(Locale.ROOT,
                "  %s: %d questions, hit@%d %d/%d, MRR %.3f, %d answerable refused, %d/%d unanswerable refused "
                        + "(recall %.3f, precision %.3f)%n", language, theirs.questions(), theirs.topK(), theirs.hits(),
                theirs.questions() - theirs.unanswerable(), theirs.mrr(), theirs.unanswered(), theirs.refusedUnanswerable(),
                theirs.unanswerable(), theirs.refusalRecall(), theirs.refusalPrecision())));
        out.append(String.format(Locale.ROOT, "latency: median %d ms, p95 %d ms; retrieval: median %d ms, p95 %d ms%n",
                totals.latencyMs().median(), totals.latencyMs().p95(), totals.retrievalMs().median(),
                totals.retrievalMs().p95()));
        out.append("answers by: ").append(totals.model()).append('\n');
        return out.toString();
    }

    private List<Question> read(Path file) throws IOException {
        List<Question> questions = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = file.getFileName() + " line " + (i + 1);
            JsonNode node;
            try {
                node = json.readTree(line);
            } catch (JacksonException e) {
                throw new IllegalArgumentException(where + " is not JSON: " + e.getOriginalMessage());
            }
            String question = node.path("question").asString("");
            if (question.isBlank() || question.length() > QueryProperties.MAX_QUESTION_CHARS) {
                throw new IllegalArgumentException(where + ": \"question\" must be a text of 1 to "
                        + QueryProperties.MAX_QUESTION_CHARS + " characters");
            }
            List<String> keywords = new ArrayList<>();
            node.path("keywords").forEach(k -> keywords.add(k.asString()));
            JsonNode page = node.path("expected_page");
            JsonNode answerable = node.path("answerable");
            if (!answerable.isMissingNode() && !answerable.isBoolean()) {
                throw new IllegalArgumentException(where + ": \"answerable\" must be true or false");
            }
            String language = node.path("language").asString("en");
            if (!language.matches("[a-z]{2,3}")) {
                throw new IllegalArgumentException(where + ": \"language\" must be an ISO 639-1 code such as \"fr\"");
            }
            questions.add(new Question(question, node.path("expected_file").asString(null),
                    page.isNumber() ? page.asInt() : null, keywords, answerable.asBoolean(true), language));
        }
        if (questions.isEmpty()) {
            throw new IllegalArgumentException(file + " holds no questions (one JSON object per line: question, "
                    + "expected_file, expected_page, keywords)");
        }
        return questions;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
