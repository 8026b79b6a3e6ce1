package io.diveteacher.extraction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyMap;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

import org.junit.jupiter.api.Test;
import org.springframework.ai.chat.prompt.PromptTemplate;
import org.springframework.core.io.ClassPathResource;

import io.diveteacher.inference.ChatReply;
import io.diveteacher.inference.InferenceProperties;
import io.diveteacher.inference.ModelChat;
import io.diveteacher.inference.ModelRuntime;

/**
 * When an extraction answer is final: never when it was cut off or its repair dropped content. The model is a
 * stand-in that answers by the text it is given and the output limit it is asked for, and records both.
 */
class LlmEntityExtractorTests {

    private static final String TEXT = "The Regulator delivers air at ambient pressure. The Octopus is a spare second "
            + "stage.\n\nThe Dive Computer tracks nitrogen. The Cylinder holds the gas.";

    private final List<Integer> limits = new ArrayList<>();
    private final List<String> texts = new ArrayList<>();

    @Test
    void aCompleteAnswerIsFinalAfterOneCall() {
        LlmEntityExtractor extractor = extractor(8192, (text, limit) -> new ChatReply(answer(text), "stop"));

        ExtractedGraph graph = extractor.extract(TEXT);

        assertThat(graph.complete()).isTrue();
        assertThat(graph.entities()).extracting(ExtractedGraph.Entity::name).contains("Regulator", "Cylinder");
        assertThat(limits).containsExactly(2048);
    }

    @Test
    void anAnswerCutOffAtTheLimitIsAskedForAgainWithTwiceTheLimit() {
        LlmEntityExtractor extractor = extractor(8192, (text, limit) -> limit < 4096 ? cutOff(answer(text))
                : new ChatReply(answer(text), "stop"));

        ExtractedGraph graph = extractor.extract(TEXT);

        assertThat(graph.complete()).isTrue();
        assertThat(graph.entities()).hasSize(4);
        assertThat(limits).containsExactly(2048, 4096);
    }

    @Test
    void anAnswerWhoseRepairDroppedContentIsNotFinalEvenWithoutDoneReasonLength() {
        LlmEntityExtractor extractor = extractor(8192, (text, limit) -> limit < 4096
                ? new ChatReply(cutOff(answer(text)).content(), "stop") : new ChatReply(answer(text), "stop"));

        ExtractedGraph graph = extractor.extract(TEXT);

        assertThat(graph.complete()).isTrue();
        assertThat(limits).containsExactly(2048, 4096);
    }

    @Test
    void stillCutOffWithTheLargerLimitEachHalfOfTheTextIsExtracted() {
        LlmEntityExtractor extractor = extractor(8192, (text, limit) -> text.equals(TEXT) ? cutOff(answer(text))
                : new ChatReply(answer(text), "stop"));

        ExtractedGraph graph = extractor.extract(TEXT);

        assertThat(graph.complete()).isTrue();
        assertThat(graph.entities()).extracting(ExtractedGraph.Entity::name)
                .containsExactlyInAnyOrder("Regulator", "Octopus", "Dive Computer", "Cylinder");
        assertThat(limits).containsExactly(2048, 4096, 4096, 4096);
        assertThat(texts.subList(2, 4)).containsExactly(
                "The Regulator delivers air at ambient pressure. The Octopus is a spare second stage.",
                "The Dive Computer tracks nitrogen. The Cylinder holds the gas.");
    }

    @Test
    void halvesMadeBecauseTheAnswersStoppedMidWayAreKeptButMarkedIncompleteForTheNextRun() {
        // done_reason "stop", but the JSON ends mid-way: a glitch, not a chunk too dense for its output limit.
        LlmEntityExtractor extractor = extractor(8192, (text, limit) -> text.equals(TEXT)
                ? new ChatReply(answer(text).substring(0, answer(text).length() * 2 / 3), "stop")
                : new ChatReply(answer(text), "stop"));

        ExtractedGraph graph = extractor.extract(TEXT);

        assertThat(graph.complete()).isFalse();
        assertThat(graph.incomplete()).contains("the answer was incomplete").contains("extracted in two halves");
        assertThat(graph.entities()).extracting(ExtractedGraph.Entity::name)
                .containsExactlyInAnyOrder("Regulator", "Octopus", "Dive Computer", "Cylinder");
    }

    @Test
    void whatCannotBeHadWholeIsKeptAndMarkedIncompleteWithTheReason() {
        LlmEntityExtractor extractor = extractor(8192, (text, limit) -> cutOff(answer(text)));

        ExtractedGraph graph = extractor.extract(TEXT);

        assertThat(graph.complete()).isFalse();
        assertThat(graph.incomplete()).contains("cut off at the output limit (num_predict 4096)")
                .contains("even for half of the chunk");
        // What each half's cut-off answer held: its first entity.
        assertThat(graph.entities()).extracting(ExtractedGraph.Entity::name).containsExactly("Regulator", "Dive Computer");
        assertThat(limits).hasSize(4);
    }

    @Test
    void withNoRoomForALargerLimitTheFirstAnswerIsKeptAsIncomplete() {
        LlmEntityExtractor extractor = extractor(2048 + 256, (text, limit) -> cutOff(answer(text)));

        ExtractedGraph graph = extractor.extract(TEXT);

        assertThat(graph.complete()).isFalse();
        assertThat(graph.incomplete()).contains("leaves no room for a longer one");
        assertThat(limits).containsExactly(2048);
    }

    @Test
    void anAnswerThatIsNoJsonIsAskedForOnceMoreThenTheChunkIsRejected() {
        LlmEntityExtractor extractor = extractor(8192, (text, limit) -> new ChatReply("I cannot help with that.", "stop"));

        assertThatThrownBy(() -> extractor.extract(TEXT)).isInstanceOf(ExtractionRejectedException.class)
                .hasMessageContaining("extraction failed twice");
        assertThat(limits).hasSize(2);
    }

    @Test
    void theTextReachesTheModelVerbatimInTheUserPromptsFrame() {
        List<String> prompts = new ArrayList<>();
        ModelChat models = mock(ModelChat.class);
        when(models.chat(anyString(), anyString(), anyMap(), anyInt())).thenAnswer(call -> {
            prompts.add(call.getArgument(1));
            return new ChatReply("{\"entities\": [], \"relationships\": []}", "stop");
        });
        // What a template engine would read as its own syntax: an attribute, a delimiter, an escape.
        String text = "Gas {text} <b>O2</b> $nitrox$ \\n 21 %";

        extractor(models).extract(text);

        // The same as the template rendered with the text, which is what the prompt was made by before.
        String rendered = new PromptTemplate(new ClassPathResource("prompts/extraction-user.st"))
                .render(Map.of("text", text));
        assertThat(rendered).contains("<<<\n" + text + "\n>>>");
        assertThat(prompts).containsExactly(rendered);
    }

    @Test
    void halvesAreCutAtTheBreakNearestTheMiddle() {
        assertThat(LlmEntityExtractor.halves(TEXT)).containsExactly(
                "The Regulator delivers air at ambient pressure. The Octopus is a spare second stage.",
                "The Dive Computer tracks nitrogen. The Cylinder holds the gas.");
        assertThat(LlmEntityExtractor.halves("one two three four")).containsExactly("one two", "three four");
        assertThat(LlmEntityExtractor.halves("abcdefgh")).containsExactly("abcd", "efgh");
    }

    private LlmEntityExtractor extractor(int numCtx, BiFunction<String, Integer, ChatReply> model) {
        ModelChat models = mock(ModelChat.class);
        when(models.chat(anyString(), anyString(), anyMap(), anyInt())).thenAnswer(call -> {
            String user = call.getArgument(1);
            String text = user.substring(user.indexOf("<<<") + 4, user.lastIndexOf(">>>") - 1);
            int limit = call.getArgument(3);
            texts.add(text);
            limits.add(limit);
            return model.apply(text, limit);
        });
        return extractor(models, numCtx);
    }

    private static LlmEntityExtractor extractor(ModelChat models) {
        return extractor(models, 8192);
    }

    private static LlmEntityExtractor extractor(ModelChat models, int numCtx) {
        InferenceProperties inference = new InferenceProperties("http://127.0.0.1:1", "m", "e", 4, numCtx, 2048, false,
                true, Duration.ofSeconds(1), Duration.ofSeconds(1));
        return new LlmEntityExtractor(models, mock(ModelRuntime.class), inference, OntologyTests.DIVING);
    }

    /** The answer a model gives: the capitalised names of the text, each as an entity. */
    private static String answer(String text) {
        List<String> entities = new ArrayList<>();
        var names = java.util.regex.Pattern.compile("\\b[A-Z][a-z]+(?: [A-Z][a-z]+)*\\b").matcher(text);
        while (names.find()) {
            if (!names.group().equals("The")) {
                String name = names.group().replaceFirst("^The ", "");
                entities.add("{\"name\": \"" + name + "\", \"type\": \"Equipment\", \"description\": \"A part.\"}");
            }
        }
        return "{\"entities\": [" + String.join(", ", entities) + "], \"relationships\": []}";
    }

    /** The answer cut inside its second entity, as at the output limit. */
    private static ChatReply cutOff(String json) {
        int second = json.indexOf("}, {");
        return new ChatReply(second < 0 ? json.substring(0, json.length() / 2) : json.substring(0, second + 12), "length");
    }
}
