package io.diveteacher.question;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyCollection;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.diveteacher.graph.GraphRetrieval;
import io.diveteacher.graph.GraphRetrieval.Match;
import io.diveteacher.graph.GraphRetrieval.Passage;
import io.diveteacher.inference.Embeddings;
import io.diveteacher.inference.InferenceProperties;
import io.diveteacher.inference.ModelRuntime;
import io.diveteacher.inference.ModelSelection;

class RetrieverTests {

    private static final String QUESTION = "How long is the safety stop?";
    private final GraphRetrieval graph = mock(GraphRetrieval.class);
    private final ModelRuntime models = mock(ModelRuntime.class);
    private final Map<String, Passage> passages = Map.of(
            "A", passage("A", 1, "Buoyancy is trimmed with the BCD.", null),
            "B", passage("B", 2, "The safety stop lasts 3 minutes at 5 m.", null),
            "C", passage("C", 3, "Stop signals are given by hand.", null),
            "D", passage("D", 4, "Decompression sickness is prevented by slow ascents.", null));
    /** The passages' embeddings, from which the stand-in graph computes their similarity as Neo4j would. */
    private final Map<String, float[]> vectors = Map.of("A", new float[] { 1, 0 }, "B", new float[] { 1, 0 },
            "C", new float[] { 1, 0 }, "D", new float[] { 0, 1 });

    private static Passage passage(String id, int page, String text, Double similarity) {
        return new Passage(id, text, page, page, 1000, List.of(0), List.of(page), similarity, "doc", "manual.pdf", "Manual", "en");
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            na += a[i] * a[i];
            nb += b[i] * b[i];
        }
        return dot / Math.sqrt(na * nb);
    }

    @BeforeEach
    void graphAndModels() {
        Embeddings embeddings = mock(Embeddings.class);
        given(embeddings.embed(List.of(QUESTION))).willReturn(List.of(new float[] { 1, 0 }));
        given(models.embeddings()).willReturn(embeddings);
        given(models.selection()).willReturn(new ModelSelection(false, null, "e", "c", 2, "0.12"));
        // A is the best vector hit, B second; B the best fulltext hit, C second.
        given(graph.nearest(any(), anyInt())).willReturn(List.of(new Match("A", 0.9), new Match("B", 0.8)));
        given(graph.fulltext(anyString(), anyInt(), anyString())).willReturn(List.of(new Match("B", 3.0), new Match("C", 1.0)));
        given(graph.passages(anyCollection())).willAnswer(call -> ((Collection<?>) call.getArgument(0)).stream()
                .map(id -> passages.get((String) id)).toList());
        given(graph.passages(anyCollection(), any())).willAnswer(call -> ((Collection<?>) call.getArgument(0)).stream()
                .map(id -> {
                    Passage p = passages.get((String) id);
                    return passage(p.id(), p.page(), p.text(), cosine(vectors.get(p.id()), (float[]) call.getArgument(1)));
                }).toList());
        // How rare each word is in this four-passage library, as the fulltext index would count it.
        given(graph.rarity(anyMap(), anyString())).willAnswer(call -> {
            Map<String, Long> containing = new HashMap<>();
            for (Object word : ((Map<?, ?>) call.getArgument(0)).keySet()) {
                containing.put((String) word, passages.values().stream()
                        .filter(p -> !Terms.of((String) word).foundIn(p.text()).isEmpty()).count());
            }
            return new GraphRetrieval.Rarity(passages.size(), containing);
        });
        given(graph.mentions(anyCollection())).willReturn(List.of(
                new GraphRetrieval.Mention("e-stop", "safety stop", "Procedure", List.of("B")),
                new GraphRetrieval.Mention("e-bcd", "BCD", "Equipment", List.of("A"))));
        // The safety stop prevents decompression sickness: a fact supported by chunk D, reached only through the graph.
        given(graph.facts(anyCollection(), anyInt(), anyCollection())).willReturn(List.of(new GraphRetrieval.Fact(
                "e-stop", "safety stop",
                "PREVENTS", "e-dcs", "decompression sickness", "Stops let nitrogen out.", 2, List.of("D", "B"))));
    }

    private static QueryProperties properties(int answerTokens) {
        return new QueryProperties(8, 30, 20, null, 0.4, 3, 0.5, 20, 12, answerTokens, 0.1, 300, Duration.ofMinutes(5), null, 0.5);
    }

    private Retriever retriever(int numCtx, int answerTokens) {
        InferenceProperties inference = new InferenceProperties("http://localhost:11434", "c", "e", 4, numCtx, 64, false,
                true, Duration.ofSeconds(1), Duration.ofSeconds(10));
        return new Retriever(models, graph, properties(answerTokens), new AnswerPrompt(), inference);
    }

    @Test
    void passagesAreFusedByRankAndAPassageReachedThroughTheGraphIsPlacedByItsScore() {
        RetrievedContext context = retriever(8192, 64).retrieve(QUESTION, 3);

        // B is in both lists (0.977); A first by vector (0.5); D reached from B at half its score (0.489) beats
        // C, second by fulltext only (0.477), which is left out at top_k 3 although it was found before D.
        assertThat(context.sources()).extracting(Source::documentId).containsOnly("doc");
        assertThat(context.passages()).extracting(p -> p.text().substring(0, 12))
                .containsExactly("The safety s", "Buoyancy is ", "Decompressio");
        assertThat(context.sources()).extracting(Source::n).containsExactly(1, 2, 3);
        assertThat(context.sources()).extracting(Source::score).containsExactly(0.977, 0.5, 0.489);
        assertThat(context.sources()).extracting(Source::page).containsExactly(2, 1, 4);
        // The fact is offered with the numbers of the passages that support it.
        assertThat(context.facts()).singleElement().satisfies(fact -> {
            assertThat(fact.text()).isEqualTo("safety stop prevents decompression sickness: Stops let nitrogen out.");
            assertThat(fact.sources()).containsExactly(1, 3);
        });
        assertThat(context.entities()).first().isEqualTo(new Answer.EntityRef("safety stop", "Procedure"));
    }

    @Test
    void theContextStopsAtTheTokenBudgetThatNumCtxLeaves() {
        AnswerPrompt prompt = new AnswerPrompt();
        int passage = 1000 + AnswerPrompt.tokens("Manual") + 8;
        // Room for the prompt, a 64-token answer and two passages, not three.
        int numCtx = 64 + prompt.overheadTokens(QUESTION) + 2 * passage + passage / 2;

        RetrievedContext context = retriever(numCtx, 64).retrieve(QUESTION, 8);

        assertThat(context.passages()).hasSize(2);
        assertThat(context.sources()).extracting(Source::score).containsExactly(0.977, 0.5);
    }

    @Test
    void passagesNeitherSimilarNorSharingWordsAreNotContext() {
        given(models.embeddings().embed(List.of("Who won the football world cup?")))
                .willReturn(List.of(new float[] { 0, 1 }));
        given(graph.nearest(any(), anyInt())).willReturn(List.of(new Match("A", 0.5)));
        given(graph.fulltext(anyString(), anyInt(), anyString())).willReturn(List.of());

        RetrievedContext context = retriever(8192, 64).retrieve("Who won the football world cup?", 8);

        assertThat(context.empty()).isTrue();
        assertThat(context.sources()).isEmpty();
    }

    @Test
    void aQuestionWhoseNumberNoChosenPassageHoldsIsTurnedDownWithItsClosestPassages() {
        String question = "How long is the safety stop at 9 m?";
        given(models.embeddings().embed(List.of(question))).willReturn(List.of(new float[] { 1, 0 }));

        RetrievedContext context = retriever(8192, 64).retrieve(question, 3);

        // B is about the safety stop, at 5 m: similar, sharing words, and still not an answer about 9 m.
        assertThat(context.empty()).isTrue();
        assertThat(context.facts()).isEmpty();
        assertThat(context.closest()).extracting(Source::page).startsWith(2);
    }

    @Test
    void aQuestionWhoseRarestWordNoChosenPassageHoldsIsTurnedDown() {
        String question = "What does the safety stop cost?";
        given(models.embeddings().embed(List.of(question))).willReturn(List.of(new float[] { 1, 0 }));

        RetrievedContext context = retriever(8192, 64).retrieve(question, 3);

        // "cost" is in no passage of the library, so it weighs most: B holds "safety" and "stop", not half the weight.
        assertThat(context.empty()).isTrue();
        assertThat(context.closest()).isNotEmpty();
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aRetrievalIsLoggedByStageAtDebugLevel(CapturedOutput output) {
        Logger logger = (Logger) LoggerFactory.getLogger(Retriever.class);
        Level level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        try {
            retriever(8192, 64).retrieve(QUESTION, 3);
        } finally {
            logger.setLevel(level);
        }

        assertThat(output).containsPattern("Retrieval of \"How long is the safety stop\\?\" in \\d+ ms: embedding \\d+ ms, "
                + "searches \\d+ ms, passages \\d+ ms, expansion \\d+ ms, context \\d+ ms");
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void aRetrievalThatFindsNothingIsLoggedByTheStagesItRan(CapturedOutput output) {
        given(models.embeddings().embed(List.of("Who won the football world cup?")))
                .willReturn(List.of(new float[] { 0, 1 }));
        given(graph.nearest(any(), anyInt())).willReturn(List.of(new Match("A", 0.5)));
        given(graph.fulltext(anyString(), anyInt(), anyString())).willReturn(List.of());
        Logger logger = (Logger) LoggerFactory.getLogger(Retriever.class);
        Level level = logger.getLevel();
        logger.setLevel(Level.DEBUG);
        try {
            retriever(8192, 64).retrieve("Who won the football world cup?", 8);
        } finally {
            logger.setLevel(level);
        }

        assertThat(output).containsPattern("Retrieval of \"Who won the football world cup\\?\" in \\d+ ms: "
                + "embedding \\d+ ms, searches \\d+ ms, passages \\d+ ms\\R");
    }
}
