package io.diveteacher.question;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.diveteacher.inference.OllamaTestServer;
import io.diveteacher.ingestion.IngestionLauncher;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The query API over HTTP against the samples graph: embedded Neo4j, models from {@link OllamaTestServer}
 * (bag-of-words embeddings, a streamed answer that cites passage [1] and [2] of the prompt).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        // The load test below sends more questions from one address than the rate limit allows.
        properties = "diveteacher.security.requests-per-minute=0")
class QueryApiIT {

    static final OllamaTestServer OLLAMA = new OllamaTestServer();
    static final Path DATA = temporaryDirectory();
    static final JsonMapper JSON = JsonMapper.shared();
    static final Pattern CITATION = Pattern.compile("\\[(\\d+)]");

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("diveteacher.data-dir", DATA::toString);
        registry.add("spring.ai.ollama.base-url", OLLAMA::baseUrl);
    }

    @LocalServerPort
    int port;

    @Autowired
    IngestionLauncher launcher;

    @Autowired
    EvaluateCommand evaluate;

    @Autowired
    org.neo4j.driver.Driver driver;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static boolean ingested;

    @BeforeEach
    void samplesIngested() throws Exception {
        OLLAMA.reset();
        if (!ingested) {
            assertThat(launcher.ingest(List.of("samples")).getStatus().name()).isEqualTo("COMPLETED");
            ingested = true;
            OLLAMA.reset();
        }
    }

    @AfterAll
    static void stop() {
        OLLAMA.close();
    }

    // The graph page's API, on the same samples graph (GET /api/graph/entities...).

    @Test
    void entitySearchFindsSampleEntitiesByNameAndTakesLuceneSyntaxAsPlainText() throws Exception {
        Response found = get("/api/graph/entities?q=nitro");
        Response hostile = get("/api/graph/entities?q=" + java.net.URLEncoder.encode("nitrox AND (\"*:", StandardCharsets.UTF_8));

        assertThat(found.status()).isEqualTo(200);
        List<String> names = new ArrayList<>();
        found.body().path("entities").forEach(e -> names.add(e.path("name").asString()));
        assertThat(names).isNotEmpty().allSatisfy(n -> assertThat(n.toLowerCase()).contains("nitro"));
        assertThat(found.body().path("entities").get(0).path("mentions").asInt()).isPositive();
        assertThat(hostile.status()).isEqualTo(200);
        assertThat(get("/api/graph/entities").status()).isEqualTo(400);
        assertThat(get("/api/graph/entities?q=x&limit=0").status()).isEqualTo(400);
    }

    @Test
    void anEntityHasItsFactsAndThePassagesThatMentionItWithTheirPages() throws Exception {
        String id = get("/api/graph/entities?q=nitrox").body().path("entities").get(0).path("id").asString();

        JsonNode entity = get("/api/graph/entities/" + id).body();

        assertThat(entity.path("name").asString()).containsIgnoringCase("nitrox");
        assertThat(entity.path("passages")).isNotEmpty().allSatisfy(p -> {
            assertThat(p.path("document_id").asString()).isNotBlank();
            assertThat(p.path("page").asInt()).isPositive();
            assertThat(p.path("excerpt").asString()).containsIgnoringCase("nitrox");
        });
        assertThat(entity.path("facts")).isNotEmpty();
        assertThat(get("/api/graph/entities/no-such-entity").status()).isEqualTo(404);
    }

    @Test
    void aNeighbourhoodIsCappedAndTwoHopsReachFurther() throws Exception {
        String id = get("/api/graph/entities?q=nitrox").body().path("entities").get(0).path("id").asString();

        JsonNode one = get("/api/graph/entities/" + id + "/neighbourhood?hops=1&limit=50").body();
        JsonNode two = get("/api/graph/entities/" + id + "/neighbourhood?hops=2&limit=50").body();
        JsonNode capped = get("/api/graph/entities/" + id + "/neighbourhood?hops=2&limit=2").body();

        assertThat(one.path("center").asString()).isEqualTo(id);
        assertThat(one.path("nodes")).anySatisfy(n -> assertThat(n.path("hop").asInt()).isZero());
        assertThat(one.path("nodes")).allSatisfy(n -> assertThat(n.path("hop").asInt()).isBetween(0, 1));
        assertThat(one.path("edges")).isNotEmpty();
        assertThat(two.path("nodes").size()).isGreaterThanOrEqualTo(one.path("nodes").size());
        assertThat(capped.path("edges").size()).isEqualTo(2);
        assertThat(capped.path("truncated").asBoolean()).isTrue();
        assertThat(get("/api/graph/entities/" + id + "/neighbourhood?hops=3").status()).isEqualTo(400);
        assertThat(get("/api/graph/entities/nope/neighbourhood").status()).isEqualTo(404);
    }

    private Response get(String path) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                JSON.readTree(response.body()));
    }

    /**
     * A load test on loopback, bounded in count and time: with 4 model slots and answers of 400 ms, 8 clients at once
     * fit the queue (4 answered, 8 waiting); 64 clients at once overflow it, and the questions beyond it are refused at
     * once with 503 and Retry-After instead of waiting behind everyone else.
     */
    @Test
    void questionsBeyondTheQueueAreRefusedAtOnceSoThatAnsweredOnesStayBounded() throws Exception {
        OLLAMA.chatDelay(400);
        List<String> questions = Files.readAllLines(Path.of("samples/questions.jsonl")).stream()
                .map(line -> JSON.readTree(line).path("question").asString()).toList();

        Load within = load(8, 2, questions);
        Load beyond = load(64, 3, questions);

        System.out.printf("Load, 4 slots, 400 ms answers, queue of 12:%n  8 clients x 2: %s%n  64 clients x 3: %s%n",
                within, beyond);
        assertThat(within.refused()).isZero();
        assertThat(within.failures()).isEmpty();
        assertThat(beyond.failures()).isEmpty();
        assertThat(beyond.refused()).isPositive();
        assertThat(beyond.answered().size()).isPositive();
        assertThat(beyond.answered().size() + beyond.refused()).isEqualTo(64 * 3);
        assertThat(OLLAMA.maxChatInFlight()).isLessThanOrEqualTo(4);
        // Admitted questions wait at most 12 / 4 = 3 rounds of 400 ms before their own (about 1.6 s); without the
        // bound, 64 questions at once would wait up to 16 rounds (6.4 s).
        assertThat(beyond.p95()).isLessThan(4_000);
    }

    /** What a burst of clients got: the latency of each answer, how many were refused, anything else that happened. */
    record Load(List<Long> answered, int refused, List<String> failures) {

        long p95() {
            List<Long> sorted = answered.stream().sorted().toList();
            return sorted.isEmpty() ? 0 : sorted.get((int) Math.ceil(0.95 * sorted.size()) - 1);
        }

        @Override
        public String toString() {
            List<Long> sorted = answered.stream().sorted().toList();
            return String.format("%d answered (median %d ms, p95 %d ms, max %d ms), %d refused with 503", sorted.size(),
                    sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2), p95(), sorted.isEmpty() ? 0 : sorted.getLast(),
                    refused);
        }
    }

    /** {@code clients} at once, each asking {@code each} questions in turn, every other one streamed. */
    private Load load(int clients, int each, List<String> questions) throws Exception {
        List<Long> answered = java.util.Collections.synchronizedList(new ArrayList<>());
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(clients)) {
            for (int c = 0; c < clients; c++) {
                int client = c;
                pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < each; i++) {
                        String question = questions.get((client * each + i) % questions.size());
                        boolean streamed = (client + i) % 2 == 0;
                        long started = System.nanoTime();
                        HttpResponse<String> response = http.send(request("{\"question\": "
                                + JSON.writeValueAsString(question) + "}", streamed ? "text/event-stream" : "application/json"),
                                HttpResponse.BodyHandlers.ofString());
                        long millis = (System.nanoTime() - started) / 1_000_000;
                        if (response.statusCode() == 200 && (!streamed || response.body().matches("(?s).*event: ?done\\R.*"))) {
                            answered.add(millis);
                        } else if (response.statusCode() == 503
                                && response.headers().firstValue("Retry-After").map(Long::parseLong).orElse(0L) >= 1
                                && JSON.readTree(response.body()).path("title").asString().equals("Too many questions at once")) {
                            refused.incrementAndGet();
                        } else {
                            failures.add(response.statusCode() + " " + response.body());
                        }
                    }
                    return null;
                });
            }
            start.countDown();
        }
        return new Load(List.copyOf(answered), refused.get(), List.copyOf(failures));
    }

    @Test
    void everySampleQuestionFindsItsExpectedPageWithinTopK() throws Exception {
        List<String> misses = new ArrayList<>();
        int questions = 0;
        for (String line : Files.readAllLines(Path.of("samples/questions.jsonl"))) {
            JsonNode expected = JSON.readTree(line);
            if (!expected.path("answerable").asBoolean(true)) {
                continue;
            }
            questions++;
            JsonNode answer = post("{\"question\": " + JSON.writeValueAsString(expected.path("question").asString())
                    + ", \"top_k\": 8}").body();
            boolean hit = false;
            for (JsonNode source : answer.path("sources")) {
                hit |= source.path("file").asString().equals(expected.path("expected_file").asString())
                        && source.path("page").asInt() == expected.path("expected_page").asInt();
            }
            if (!hit) {
                misses.add(expected.path("question").asString());
            }
        }
        // hit@8 on the 24 sample questions (16 English, 8 French) with the test server's bag-of-words embeddings:
        // all of them.
        assertThat(questions).isEqualTo(24);
        assertThat(misses).isEmpty();
    }

    @Test
    void evaluateReportsHitRateKeywordsAndLatencyOnTheSamples() throws Exception {
        io.diveteacher.command.CommandLine.Outcome outcome = evaluate.run(EvaluateCommand.Arguments.parse(List.of("--json",
                "samples/questions.jsonl")));

        System.out.println("evaluate samples/questions.jsonl with the test Ollama server:\n" + outcome.output());
        assertThat(outcome.exitCode()).isZero();
        List<String> lines = outcome.output().lines().toList();
        JsonNode totals = JSON.readTree(lines.getLast());
        assertThat(totals.path("questions").asInt()).isEqualTo(42);
        assertThat(totals.path("hits").asInt()).isEqualTo(24);
        assertThat(totals.path("unanswered").asInt()).isZero();
        // The relevance gate alone (this stand-in answers from any passage that shares a word): 14 of the 18 here;
        // the rest need a model that reads the passages (cost, inventor, phone number, duration of a test).
        assertThat(totals.path("unanswerable").asInt()).isEqualTo(18);
        assertThat(totals.path("refused_unanswerable").asInt()).isGreaterThanOrEqualTo(14);
        assertThat(totals.path("languages").path("fr").path("hits").asInt()).isEqualTo(8);
        assertThat(totals.path("languages").path("fr").path("refused_unanswerable").asInt()).isEqualTo(3);
        assertThat(totals.path("languages").path("en").path("hits").asInt()).isEqualTo(16);
        assertThat(totals.path("refusal_precision").asDouble()).isEqualTo(1.0);
        assertThat(totals.path("model").asString()).isEqualTo(OllamaTestServer.CHAT_MODEL);
        assertThat(totals.path("retrieval_ms").path("p95").asLong()).isGreaterThanOrEqualTo(totals.path("retrieval_ms").path("median").asLong());
        assertThat(outcome.output()).contains("hit@8: 24/24 (100.0%)").contains("unanswerable refused, recall")
                .contains("  fr: 11 questions, hit@8 8/8");
        // One warm-up question, then only the questions the gate let through: a refused one costs no model call.
        assertThat(OLLAMA.chatCalls()).isEqualTo(1 + 42 - totals.path("refused_unanswerable").asInt());
    }

    @Test
    void theAnswerCitesOnlyItsSourcesAndTheSourcesAreExactlyWhatTheModelWasGiven() throws Exception {
        OLLAMA.chatOutput(answer -> answer + " As the manual also says [9], and [2, 1].");

        JsonNode answer = post("{\"question\": \"What does the first stage of a regulator do?\", \"top_k\": 3}").body();

        JsonNode sources = answer.path("sources");
        assertThat(answer.path("num_sources").asInt()).isEqualTo(sources.size()).isBetween(1, 3);
        for (int i = 0; i < sources.size(); i++) {
            assertThat(sources.get(i).path("n").asInt()).isEqualTo(i + 1);
            assertThat(sources.get(i).path("excerpt").asString()).isNotBlank().hasSizeLessThanOrEqualTo(301);
        }
        Set<Integer> cited = citations(answer.path("answer").asString());
        assertThat(cited).isNotEmpty().allSatisfy(n -> assertThat(n).isBetween(1, sources.size()));
        assertThat(answer.path("answer").asString()).doesNotContain("[9]").contains("[2][1]");
        // The prompt numbered exactly these passages, in this order, with the same document and page.
        String prompt = userMessage(OLLAMA.lastChatRequest());
        for (JsonNode source : sources) {
            assertThat(prompt).contains("[" + source.path("n").asInt() + "] " + source.path("document").asString() + ", page ");
        }
        assertThat(prompt).doesNotContain("[" + (sources.size() + 1) + "] ");
        assertThat(OLLAMA.lastChatRequest().path("stream").asBoolean(true)).isTrue();
        assertThat(answer.path("model").asString()).isEqualTo(OllamaTestServer.CHAT_MODEL);
        assertThat(answer.path("entities").isArray()).isTrue();
    }

    @Test
    void aFollowUpIsRewrittenByTheModelFromTheHistoryAndAnsweredAsTheStandaloneQuestion() throws Exception {
        JsonNode first = post("{\"question\": \"What is the no-stop limit at 18 m on a first dive on air?\"}").body();
        int callsBefore = OLLAMA.chatCalls();

        JsonNode followUp = post("""
                {"question": "And at 30 m?",
                 "history": [{"question": "What is the no-stop limit at 18 m on a first dive on air?",
                              "answer": %s}]}""".formatted(JSON.writeValueAsString(first.path("answer").asString())))
                .body();

        assertThat(followUp.path("standalone_question").asString())
                .isEqualTo("What is the no-stop limit at 30 m on a first dive on air?");
        assertThat(OLLAMA.chatCalls()).as("the rewrite, then the answer").isEqualTo(callsBefore + 2);
        assertThat(followUp.path("sources").get(0).path("file").asString())
                .isEqualTo("no-stop-limits-and-decompression.pdf");
        assertThat(userMessage(OLLAMA.lastChatRequest())).contains("Question: What is the no-stop limit at 30 m");
        assertThat(first.path("standalone_question").isNull()).as("no history, nothing rewritten").isTrue();
    }

    @Test
    void timingsAreOllamasOwnCountersForTheAnswer() throws Exception {
        JsonNode answer = post("{\"question\": \"How is a controlled emergency swimming ascent done?\"}").body();

        JsonNode timings = answer.path("timings");
        // The test server reports eval_count = characters / 4 and eval_duration = 1.325948 s.
        int evalTokens = Math.max(1, answer.path("answer").asString().length() / 4);
        assertThat(timings.path("eval_tokens").asInt()).isBetween(evalTokens - 3, evalTokens + 3);
        assertThat(timings.path("tokens_per_second").asDouble())
                .isCloseTo(timings.path("eval_tokens").asInt() / 1.325948, org.assertj.core.data.Offset.offset(0.1));
        assertThat(timings.path("retrieval_ms").asLong()).isNotNegative();
        assertThat(timings.path("generation_ms").asLong()).isNotNegative();
    }

    @Test
    void aFrenchQuestionIsSearchedWithTheFrenchAnalyzerAndFindsPluralsAndOtherFormsOfItsWords() throws Exception {
        // "remontées" is not in the French manuals, "remontée" is: the French
        // index stems both alike, the standard one does not.
        assertThat(search("chunk_text_fr", "remontées")).isPositive();
        assertThat(search("chunk_text", "remontées")).isZero();

        JsonNode answer = post("{\"question\": \"Que faire après des remontées trop rapides ?\"}").body();

        assertThat(answer.path("sources")).anySatisfy(source -> {
            assertThat(source.path("file").asString()).isEqualTo("les-paliers-de-decompression.pdf");
            assertThat(source.path("page").asInt()).isEqualTo(3);
        });
    }

    @Test
    void everyChunkKnowsItsLanguageAndTheFrenchOnesAreInTheFrenchIndex() {
        try (var session = driver.session()) {
            var languages = session.run("""
                    MATCH (c:Chunk)-[:PART_OF]->(d:Document)
                    RETURN d.name AS file, collect(DISTINCT c.language) AS languages,
                           all(x IN collect(c:FrenchChunk) WHERE x) AS french""").list();
            assertThat(languages).hasSize(6).allSatisfy(r -> {
                boolean inFrench = r.get("file").asString().startsWith("les-") || r.get("file").asString().startsWith("plongee-");
                assertThat(r.get("languages").asList()).as(r.get("file").asString()).containsExactly(inFrench ? "fr" : "en");
                assertThat(r.get("french").asBoolean()).isEqualTo(inFrench);
            });
        }
    }

    @Test
    void aFrenchQuestionOnAnEnglishManualFindsItsPassageThroughTheVectorIndexAndTheModelIsGivenIt() throws Exception {
        // The stand-in's embeddings are lexical, so it is told to embed the French question as a multilingual
        // model would: near the English passage that answers it. No word of the question is in the English
        // manuals, so only the vector index can find that passage, and the words of a French question cannot be
        // held against English passages.
        String question = "Comment vérifier son lestage ?";
        String passage = chunkText("buoyancy-and-equipment.pdf", 2);
        OLLAMA.embedAlike(question, passage);
        assertThat(search("chunk_text", "lestage")).isZero();
        assertThat(search("chunk_text", "vérifier")).isZero();

        JsonNode answer = post("{\"question\": \"" + question + "\"}").body();

        // The model is asked, with the English passage in its context and first among the passages shown. (Whether it answers is the model's
        // reading: the stand-in only answers from sentences sharing words with the question, so it says the context
        // does not hold the answer, and the passage comes back among the closest.)
        assertThat(OLLAMA.chatCalls()).isEqualTo(1);
        JsonNode messages = OLLAMA.lastChatRequest().path("messages");
        assertThat(messages.get(messages.size() - 1).path("content").asString()).contains(passage.strip());
        JsonNode shown = answer.path("num_sources").asInt() > 0 ? answer.path("sources") : answer.path("closest");
        assertThat(shown.get(0).path("file").asString()).as(shown.toString()).isEqualTo("buoyancy-and-equipment.pdf");
    }

    @Test
    void aFrenchQuestionTheDocumentsDoNotAnswerGetsTheStandardAnswerInFrench() throws Exception {
        JsonNode answer = post("{\"question\": \"Combien coûte un analyseur d'oxygène ?\"}").body();

        assertThat(answer.path("num_sources").asInt()).isZero();
        assertThat(answer.path("answer").asString()).startsWith("Les documents ne le disent pas");
    }

    private String chunkText(String file, int page) {
        try (var session = driver.session()) {
            return session.run("""
                    MATCH (c:Chunk)-[:PART_OF]->(:Document {name: $file}) WHERE c.page = $page
                    RETURN c.text AS text ORDER BY c.position LIMIT 1""", java.util.Map.of("file", file, "page", page))
                    .single().get("text").asString();
        }
    }

    private long search(String index, String query) {
        try (var session = driver.session()) {
            return session.run("CALL db.index.fulltext.queryNodes($index, $query) YIELD node RETURN count(node) AS n",
                    java.util.Map.of("index", index, "query", query)).single().get("n").asLong();
        }
    }

    @Test
    void anUnanswerableQuestionIsAnsweredWithoutCallingTheGenerationModel() throws Exception {
        JsonNode answer = post("{\"question\": \"What is the capital of France?\"}").body();

        assertThat(answer.path("num_sources").asInt()).isZero();
        assertThat(answer.path("sources").size()).isZero();
        assertThat(answer.path("answer").asString()).startsWith("The documents do not say");
        assertThat(answer.path("timings").path("eval_tokens").isNull()).isTrue();
        assertThat(OLLAMA.chatCalls()).isZero();
        assertThat(OLLAMA.embedCalls()).isEqualTo(1);
    }

    @Test
    void aModelThatSaysTheContextDoesNotHoldTheAnswerGivesTheStandardAnswerWithTheClosestPassages() throws Exception {
        OLLAMA.chatOutput(answer -> OllamaTestServer.NOT_IN_THE_DOCUMENTS);

        JsonNode answer = post("{\"question\": \"How long and at what depth should a safety stop be made?\"}").body();

        assertThat(OLLAMA.chatCalls()).isEqualTo(1);
        assertThat(answer.path("answer").asString()).startsWith("The documents do not say")
                .doesNotContain(OllamaTestServer.NOT_IN_THE_DOCUMENTS);
        assertThat(answer.path("num_sources").asInt()).isZero();
        assertThat(answer.path("sources").size()).isZero();
        assertThat(answer.path("closest").size()).isPositive();
        assertThat(answer.path("closest").get(0).path("file").asString()).isEqualTo("no-stop-limits-and-decompression.pdf");
        assertThat(answer.path("timings").path("eval_tokens").asInt()).isPositive();
    }

    @Test
    void aStreamedRefusalNeverShowsTheMarkerAndItsDoneEventSaysTheSame() throws Exception {
        OLLAMA.chatOutput(answer -> OllamaTestServer.NOT_IN_THE_DOCUMENTS);

        List<Event> events = stream("{\"question\": \"How long and at what depth should a safety stop be made?\", \"stream\": true}", null);

        assertThat(events).extracting(Event::name).doesNotContain("error").endsWith("done");
        assertThat(events).filteredOn(e -> e.name().equals("token"))
                .noneMatch(e -> e.data().contains("NOT_IN") || e.data().contains("DOCUMENTS"));
        JsonNode done = JSON.readTree(events.getLast().data());
        assertThat(done.path("num_sources").asInt()).isZero();
        assertThat(done.path("sources").size()).isZero();
        assertThat(done.path("closest").size()).isPositive();
        assertThat(done.path("answer").asString()).startsWith("The documents do not say");
    }

    @Test
    void aModelThatIgnoresTheMarkerAnswersAsBefore() throws Exception {
        JsonNode answer = post("{\"question\": \"How long and at what depth should a safety stop be made?\"}").body();

        assertThat(answer.path("num_sources").asInt()).isPositive();
        assertThat(answer.path("answer").asString()).contains("3 minutes").doesNotStartWith("The documents do not say");
        assertThat(answer.path("closest").size()).isZero();
    }

    @Test
    void aQuestionOnTheTopicWhoseNumberNoPassageHoldsIsRefusedBeforeAnyModelCall() throws Exception {
        JsonNode answer = post("{\"question\": \"What is the no-stop limit at 50 m on air?\"}").body();

        assertThat(answer.path("num_sources").asInt()).isZero();
        assertThat(answer.path("sources").size()).isZero();
        assertThat(answer.path("closest").size()).isPositive();
        assertThat(answer.path("model").asString()).startsWith("none");
        assertThat(OLLAMA.chatCalls()).isZero();
    }

    @Test
    void aStreamedAnswerKeepsItsFramingWithNewlinesQuotesAndNonAscii() throws Exception {
        String text = "Line one says \"stop\" [1].\nLine two: café, Übung, 日本語 [1].\n\n- a list item [2]\r\nend";
        OLLAMA.chatOutput(answer -> text);

        List<Event> events = stream("{\"question\": \"How long and at what depth should a safety stop be made?\", "
                + "\"stream\": true}", null);

        assertThat(events.getFirst().name()).isEqualTo("sources");
        assertThat(events.getLast().name()).isEqualTo("done");
        JsonNode sources = JSON.readTree(events.getFirst().data());
        assertThat(sources.path("num_sources").asInt()).isEqualTo(sources.path("sources").size()).isGreaterThan(1);
        StringBuilder tokens = new StringBuilder();
        for (Event event : events.subList(1, events.size() - 1)) {
            assertThat(event.name()).isEqualTo("token");
            tokens.append(JSON.readTree(event.data()).path("text").asString());
        }
        assertThat(events.size()).isGreaterThan(5);
        assertThat(tokens.toString()).isEqualTo(text);
        JsonNode done = JSON.readTree(events.getLast().data());
        assertThat(done.path("answer").asString()).isEqualTo(text.strip());
        assertThat(done.path("timings").path("eval_tokens").asInt()).isPositive();
    }

    @Test
    void acceptTextEventStreamAloneAsksForAStream() throws Exception {
        List<Event> events = stream("{\"question\": \"What is the maximum ascent rate?\"}", "text/event-stream");

        assertThat(events).extracting(Event::name).startsWith("sources", "token").endsWith("done");
        assertThat(JSON.readTree(events.getLast().data()).path("standalone_question").isNull()).isTrue();
    }

    @Test
    void aStreamedFollowUpSaysInItsDoneEventHowItWasUnderstood() throws Exception {
        List<Event> events = stream("{\"question\": \"And at 30 m?\", \"stream\": true, \"history\": "
                + "[{\"question\": \"What is the no-stop limit at 18 m on a first dive on air?\", \"answer\": \"\"}]}",
                null);

        assertThat(events.getLast().name()).isEqualTo("done");
        assertThat(JSON.readTree(events.getLast().data()).path("standalone_question").asString())
                .isEqualTo("What is the no-stop limit at 30 m on a first dive on air?");
    }

    @Test
    void theFirstTokenLeavesBeforeGenerationEnds() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        OLLAMA.holdAfterFirstPiece(release);
        HttpRequest request = request("{\"question\": \"What does BWRAF stand for in the buddy check?\", \"stream\": true}",
                "text/event-stream");
        HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            Event first = next(reader);
            assertThat(first.name()).isEqualTo("sources");
            Event token = next(reader);
            // The test server is holding the rest of the answer: this token came through while generation went on.
            assertThat(token.name()).isEqualTo("token");
            assertThat(release.getCount()).isEqualTo(1);
            assertThat(OLLAMA.piecesSent()).isEqualTo(1);
            release.countDown();
            Event last = token;
            for (Event e = next(reader); e != null; e = next(reader)) {
                last = e;
            }
            assertThat(last.name()).isEqualTo("done");
        } finally {
            release.countDown();
        }
    }

    @Test
    void anErrorInTheMiddleOfGenerationEndsTheStreamWithAnErrorEvent() throws Exception {
        OLLAMA.errorAfterFirstPiece();

        List<Event> events = stream("{\"question\": \"What is the maximum ascent rate?\", \"stream\": true}", null);

        assertThat(events).extracting(Event::name).startsWith("sources", "token").endsWith("error").doesNotContain("done");
        JsonNode problem = JSON.readTree(events.getLast().data());
        assertThat(problem.path("status").asInt()).isEqualTo(503);
        assertThat(problem.path("detail").asString()).contains("Ollama stopped the answer");
    }

    @Test
    void aQuestionOf2001CharactersIsRejectedWithAProblemDetail() throws Exception {
        Response response = post("{\"question\": \"" + "a".repeat(2001) + "\"}");

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.body().path("detail").asString()).contains("2001 characters").contains("at most 2000");
        assertThat(OLLAMA.embedCalls()).isZero();
    }

    @Test
    void aFailingModelIsAServiceUnavailableProblemNotAStackTrace() throws Exception {
        OLLAMA.failChatAfter(0);

        Response response = post("{\"question\": \"What is the maximum ascent rate?\"}");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.body().path("detail").asString()).contains("chat with " + OllamaTestServer.CHAT_MODEL);
        assertThat(response.body().toString()).doesNotContain("at io.diveteacher").doesNotContain("Exception:");
    }

    // --- HTTP helpers

    record Response(int status, String contentType, JsonNode body) {
    }

    record Event(String name, String data) {
    }

    private Response post(String json) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(json, "application/json"), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""),
                JSON.readTree(response.body()));
    }

    private HttpRequest request(String json, String accept) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/query"))
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (accept != null) {
            builder.header("Accept", accept);
        }
        return builder.build();
    }

    private List<Event> stream(String json, String accept) throws IOException, InterruptedException {
        HttpResponse<java.io.InputStream> response = http.send(request(json, accept), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        List<Event> events = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (Event e = next(reader); e != null; e = next(reader)) {
                events.add(e);
            }
        }
        return events;
    }

    /** The next event of an SSE stream, or null at its end; one data line each (JSON never holds a raw newline). */
    private static Event next(BufferedReader reader) throws IOException {
        String name = null;
        List<String> data = new ArrayList<>();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            if (line.isEmpty()) {
                if (name != null || !data.isEmpty()) {
                    assertThat(data).as("data lines of event %s", name).hasSize(1);
                    return new Event(name, data.getFirst());
                }
            } else if (line.startsWith("event:")) {
                name = line.substring(6).strip();
            } else if (line.startsWith("data:")) {
                data.add(line.substring(5));
            }
        }
        return null;
    }

    private static Set<Integer> citations(String text) {
        Set<Integer> numbers = new LinkedHashSet<>();
        Matcher m = CITATION.matcher(text);
        while (m.find()) {
            numbers.add(Integer.parseInt(m.group(1)));
        }
        return numbers;
    }

    private static String userMessage(JsonNode chatRequest) {
        String user = "";
        for (JsonNode message : chatRequest.path("messages")) {
            if ("user".equals(message.path("role").asString())) {
                user = message.path("content").asString();
            }
        }
        return user;
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("diveteacher-query-it-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
