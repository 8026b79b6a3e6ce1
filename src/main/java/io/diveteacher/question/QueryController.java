package io.diveteacher.question;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import io.swagger.v3.oas.annotations.media.ExampleObject;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import jakarta.validation.Valid;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.task.TaskExecutor;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code POST /api/query}. JSON in, JSON out; with {@code "stream": true} or {@code Accept: text/event-stream}
 * the answer is streamed as Server-Sent Events: {@code sources}, {@code token}..., then {@code done} or
 * {@code error}, each with JSON data (JSON escapes line breaks, so a token never breaks the framing).
 */
@RestController
@Tag(name = "Questions", description = "Answers from the graph, with citations")
class QueryController {

    private static final Logger log = LoggerFactory.getLogger(QueryController.class);

    private final QuestionAnswering answering;
    private final QueryProperties properties;
    private final QueryErrors errors;
    private final QuestionQueue queue;
    private final TaskExecutor streams;

    QueryController(QuestionAnswering answering, QueryProperties properties, QueryErrors errors, QuestionQueue queue,
            @Qualifier("answerStreams") TaskExecutor streams) {
        this.streams = streams;
        this.answering = answering;
        this.properties = properties;
        this.errors = errors;
        this.queue = queue;
    }

    /** Returns an {@link Answer}, or an {@link SseEmitter} when the client asked for a stream. */
    @Operation(summary = "Answer a question from the documents",
            description = "JSON by default; Server-Sent Events (sources, token..., done or error) with \"stream\": true "
                    + "or Accept: text/event-stream. question: 1 to 2,000 characters; top_k: 1 to 50 (default 8); "
                    + "history: up to 8 earlier turns of the conversation, oldest first, each {question, answer} (answer "
                    + "up to 4,000 characters): a follow-up is then rewritten into a standalone question, returned as "
                    + "standalone_question, which is what is searched and answered. When the documents do not hold the "
                    + "answer, the answer says so, num_sources is 0, sources is empty and closest lists the passages "
                    + "that came nearest (the done event of a stream says the same).",
            requestBody = @io.swagger.v3.oas.annotations.parameters.RequestBody(content = @Content(examples = @ExampleObject(
                    value = "{\"question\": \"How long and at what depth should a safety stop be made?\", \"top_k\": 8}"))),
            responses = {
                    @ApiResponse(responseCode = "200", description = "The answer, its numbered sources, entities and timings",
                            content = @Content(mediaType = "application/json", examples = @ExampleObject(value = """
                                    {"answer": "End every dive with a safety stop of 3 minutes at 5 m [1].",
                                     "sources": [{"n": 1, "document": "No-Stop Limits and Decompression",
                                                  "file": "no-stop-limits-and-decompression.pdf", "document_id": "bdc3...",
                                                  "page": 3, "excerpt": "End every dive with a safety stop of 3 minutes at 5 m...",
                                                  "score": 0.977}],
                                     "num_sources": 1, "entities": [{"name": "safety stop", "type": "Procedure"}],
                                     "model": "qwen2.5:7b-instruct-q8_0",
                                     "timings": {"retrieval_ms": 35, "generation_ms": 840, "eval_tokens": 42, "tokens_per_second": 51.3}}"""))),
                    @ApiResponse(responseCode = "400", description = "Invalid question, top_k or body (problem detail)"),
                    @ApiResponse(responseCode = "503", description = "Ollama or Neo4j cannot answer now, or as many "
                            + "questions as the server takes at once are in progress (problem detail; Retry-After)") })
    @PostMapping(path = "/api/query", consumes = MediaType.APPLICATION_JSON_VALUE)
    Object query(@Valid @RequestBody QueryRequest request, @RequestHeader(value = HttpHeaders.ACCEPT, required = false) String accept) {
        int topK = answering.topK(request.topK());
        // Refused before anything is done or streamed when as many questions as allowed are in progress.
        QuestionQueue.Place place = queue.enter();
        if (!request.streamed() && !acceptsEventStream(accept)) {
            try (place) {
                return answering.answer(request.question(), request.history(), topK, QuestionAnswering.Listener.NONE);
            }
        }
        SseEmitter emitter = new SseEmitter(properties.streamTimeout().toMillis());
        try {
            streams.execute(() -> {
                try (place) {
                    stream(request.question(), request.history(), topK, emitter);
                }
            });
        } catch (RuntimeException e) {
            place.close();
            throw e;
        }
        return emitter;
    }

    private void stream(String question, List<QueryRequest.Turn> history, int topK, SseEmitter emitter) {
        try {
            Answer answer = answering.answer(question, history, topK, new QuestionAnswering.Listener() {
                @Override
                public void sources(List<Source> sources) {
                    send(emitter, "sources", new SourcesEvent(sources, sources.size()));
                }

                @Override
                public void token(String text) {
                    send(emitter, "token", new TokenEvent(text));
                }
            });
            send(emitter, "done", new DoneEvent(answer.answer(), answer.numSources(), answer.sources(), answer.closest(),
                    answer.entities(), answer.model(), answer.timings(), answer.standaloneQuestion()));
            emitter.complete();
        } catch (ClientGone e) {
            log.debug("The client of a streamed answer went away; generation stopped", e);
        } catch (RuntimeException e) {
            ProblemDetail problem = errors.problem(e);
            try {
                send(emitter, "error", problem);
                emitter.complete();
            } catch (ClientGone gone) {
                log.debug("The client of a streamed answer went away before its error event", gone);
            }
        }
    }

    private static void send(SseEmitter emitter, String event, Object data) {
        try {
            emitter.send(SseEmitter.event().name(event).data(data, MediaType.APPLICATION_JSON));
        } catch (IOException | IllegalStateException e) {
            throw new ClientGone(e);
        }
    }

    private static boolean acceptsEventStream(String accept) {
        if (accept == null) {
            return false;
        }
        return MediaType.parseMediaTypes(accept).stream()
                .anyMatch(type -> type.isCompatibleWith(MediaType.TEXT_EVENT_STREAM) && !type.isWildcardType());
    }

    record SourcesEvent(List<Source> sources, int numSources) {
    }

    record TokenEvent(String text) {
    }

    record DoneEvent(String answer, int numSources, List<Source> sources, List<Source> closest,
            List<Answer.EntityRef> entities, String model, Answer.Timings timings, String standaloneQuestion) {
    }

    /** The client of a stream cannot be written to any more. */
    private static final class ClientGone extends UncheckedIOException {
        ClientGone(Exception cause) {
            super(cause.getMessage(), cause instanceof IOException io ? io : new IOException(cause));
        }
    }
}
