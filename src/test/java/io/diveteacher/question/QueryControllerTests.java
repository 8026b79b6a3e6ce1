package io.diveteacher.question;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.verifyNoInteractions;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

@WebMvcTest(QueryController.class)
// Security (admin auth, rate limits) is covered end to end in AdminApiIT; here only the controller.
@AutoConfigureMockMvc(addFilters = false)
@EnableConfigurationProperties(QueryProperties.class)
@org.springframework.context.annotation.Import(QuestionConfiguration.class)
class QueryControllerTests {

    @Autowired
    MockMvcTester mvc;

    @MockitoBean
    QuestionAnswering answering;

    @MockitoBean
    QuestionQueue queue;

    private static final Answer ANSWER = new Answer("Stop for 3 minutes at 5 m [1].",
            List.of(new Source(1, "No-Stop Limits", "no-stop.pdf", "d1", 3, "End every dive with a safety stop.", 1.0)),
            1, List.of(new Answer.EntityRef("safety stop", "Procedure")), "qwen2.5:7b-instruct-q8_0",
            new Answer.Timings(12, 840, 42, 51.3));

    private void rejected(String body, String... details) {
        var result = mvc.post().uri("/api/query").contentType(MediaType.APPLICATION_JSON).content(body).exchange();

        assertThat(result).hasStatus(HttpStatus.BAD_REQUEST).hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.detail").asString().contains(details);
        assertThat(result).bodyJson().extractingPath("$.title").asString().isEqualTo("Invalid query");
        verifyNoInteractions(answering);
    }

    @Test
    void aQuestionBeyondTheQueueIsRefusedAtOnceWith503AndRetryAfter() {
        given(answering.topK(null)).willReturn(8);
        given(queue.enter()).willThrow(new QuestionQueue.Overloaded(12, 12, 7));

        var result = mvc.post().uri("/api/query").contentType(MediaType.APPLICATION_JSON)
                .content("{\"question\": \"What is a safety stop?\", \"stream\": true}").exchange();

        assertThat(result).hasStatus(HttpStatus.SERVICE_UNAVAILABLE).hasHeader("Retry-After", "7")
                .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.title").asString().isEqualTo("Too many questions at once");
        assertThat(result).bodyJson().extractingPath("$.detail").asString()
                .contains("12 questions are being answered or waiting").contains("ask again in 7 s");
        assertThat(result).bodyJson().extractingPath("$.retry_after_seconds").isEqualTo(7);
        assertThat(result).bodyJson().extractingPath("$.active").isEqualTo(12);
        assertThat(result).bodyJson().extractingPath("$.capacity").isEqualTo(12);
        org.mockito.Mockito.verify(answering, org.mockito.Mockito.never()).answer(anyString(), anyList(), anyInt(), any());
    }

    @Test
    void answersInTheDocumentedShape() {
        given(answering.topK(null)).willReturn(8);
        given(answering.answer(eq("What is a safety stop?"), eq(List.of()), eq(8), any())).willReturn(ANSWER);

        var result = mvc.post().uri("/api/query").contentType(MediaType.APPLICATION_JSON)
                .content("{\"question\": \"What is a safety stop?\"}").exchange();

        assertThat(result).hasStatusOk().bodyJson()
                .hasPathSatisfying("$.answer", v -> assertThat(v).isEqualTo("Stop for 3 minutes at 5 m [1]."))
                .hasPathSatisfying("$.num_sources", v -> assertThat(v).isEqualTo(1))
                .hasPathSatisfying("$.sources[0].document_id", v -> assertThat(v).isEqualTo("d1"))
                .hasPathSatisfying("$.sources[0].page", v -> assertThat(v).isEqualTo(3))
                .hasPathSatisfying("$.entities[0].type", v -> assertThat(v).isEqualTo("Procedure"))
                .hasPathSatisfying("$.timings.tokens_per_second", v -> assertThat(v).isEqualTo(51.3))
                .hasPathSatisfying("$.timings.eval_tokens", v -> assertThat(v).isEqualTo(42));
    }

    @Test
    void aQuestionOf2001CharactersIsRejectedAnd2000AreAccepted() {
        rejected("{\"question\": \"" + "a".repeat(2001) + "\"}", "question has 2001 characters; at most 2000 are allowed");

        given(answering.topK(null)).willReturn(8);
        given(answering.answer(anyString(), anyList(), anyInt(), any())).willReturn(ANSWER);
        assertThat(mvc.post().uri("/api/query").contentType(MediaType.APPLICATION_JSON)
                .content("{\"question\": \"" + "a".repeat(2000) + "\"}")).hasStatusOk();
    }

    @Test
    void aMissingOrBlankQuestionIsRejected() {
        rejected("{}", "question is required");
        rejected("{\"question\": \"   \"}", "question is required");
    }

    @Test
    void topKOutsideOneToFiftyIsRejected() {
        rejected("{\"question\": \"q\", \"top_k\": 0}", "top_k must be between 1 and 50, was 0");
        rejected("{\"question\": \"q\", \"top_k\": 51}", "top_k must be between 1 and 50, was 51");
    }

    @Test
    void unknownFieldsWrongTypesAndBrokenJsonSayWhatIsWrong() {
        rejected("{\"question\": \"q\", \"topk\": 3}", "unknown field 'topk'");
        rejected("{\"question\": \"q\", \"top_k\": \"eight\"}", "Field 'top_k' has the wrong type");
        rejected("{\"question\": \"q\", \"stream\": \"maybe\"}", "Field 'stream' has the wrong type");
        rejected("{\"question\": ", "not valid JSON");
        rejected("[]", "must be a JSON object");
    }

    @Test
    void aFollowUpIsAnsweredWithItsHistoryAndSaysHowItWasUnderstood() {
        given(answering.topK(null)).willReturn(8);
        var history = List.of(new QueryRequest.Turn("What is the no-stop limit at 18 m?", "56 minutes [1]."));
        given(answering.answer(eq("And at 30 m?"), eq(history), eq(8), any()))
                .willReturn(ANSWER.understoodAs("What is the no-stop limit at 30 m?"));

        var result = mvc.post().uri("/api/query").contentType(MediaType.APPLICATION_JSON).content("""
                {"question": "And at 30 m?",
                 "history": [{"question": "What is the no-stop limit at 18 m?", "answer": "56 minutes [1]."}]}""")
                .exchange();

        assertThat(result).hasStatusOk().bodyJson().extractingPath("$.standalone_question").asString()
                .isEqualTo("What is the no-stop limit at 30 m?");
    }

    @Test
    void aHistoryTooLongOrMalformedIsRefusedSayingWhy() {
        String turn = "{\"question\": \"What is nitrox?\", \"answer\": \"A mix [1].\"}";
        rejected("{\"question\": \"And EAN36?\", \"history\": [" + String.join(", ", java.util.Collections.nCopies(9, turn))
                + "]}", "history has 9 turns; at most 8 are taken");
        rejected("{\"question\": \"And EAN36?\", \"history\": [{\"answer\": \"A mix.\"}]}",
                "each turn of history needs its question");
        rejected("{\"question\": \"And EAN36?\", \"history\": [{\"question\": \"What is nitrox?\", \"answer\": \""
                + "x".repeat(4001) + "\"}]}", "an answer in history has 4001 characters; at most 4000 are taken");
        rejected("{\"question\": \"And EAN36?\", \"history\": [{\"question\": \"What is nitrox?\", \"reply\": \"A mix.\"}]}",
                "unknown field 'reply': the fields are question and answer");
    }
}
