package io.diveteacher.question;

import java.net.URI;

import org.neo4j.driver.exceptions.Neo4jException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.diveteacher.inference.ModelCallException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamReadException;

/**
 * RFC 9457 problem details for the query API, with a message a person can act on and never a stack trace.
 * Also used for the {@code error} event of a streamed answer.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
@RestControllerAdvice(assignableTypes = QueryController.class)
class QueryErrors {

    private static final Logger log = LoggerFactory.getLogger(QueryErrors.class);

    @ExceptionHandler(MethodArgumentNotValidException.class)
    ProblemDetail invalid(MethodArgumentNotValidException e) {
        return invalid(new InvalidQueryException(e.getBindingResult().getAllErrors().stream()
                .map(error -> error.getDefaultMessage()).toList()));
    }

    @ExceptionHandler(InvalidQueryException.class)
    ProblemDetail invalid(InvalidQueryException e) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid query", e.getMessage());
        problem.setProperty("errors", e.problems());
        return problem;
    }

    @ExceptionHandler(QuestionQueue.Overloaded.class)
    ResponseEntity<ProblemDetail> overloaded(QuestionQueue.Overloaded e) {
        ProblemDetail problem = problem(HttpStatus.SERVICE_UNAVAILABLE, "Too many questions at once", e.getMessage() + ".");
        problem.setProperty("retry_after_seconds", e.retryAfterSeconds());
        problem.setProperty("active", e.active());
        problem.setProperty("capacity", e.capacity());
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, String.valueOf(e.retryAfterSeconds())).body(problem);
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ProblemDetail unreadable(HttpMessageNotReadableException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid query", describe(e));
    }

    @ExceptionHandler(RuntimeException.class)
    ProblemDetail failed(RuntimeException e) {
        return problem(e);
    }

    /** The problem detail for a failure while answering. */
    ProblemDetail problem(RuntimeException e) {
        if (e instanceof InvalidQueryException invalid) {
            return invalid(invalid);
        }
        if (e instanceof ModelCallException model) {
            log.warn("Answer failed: {}", model.getMessage());
            return problem(HttpStatus.SERVICE_UNAVAILABLE, "The model could not answer", model.getMessage()
                    + (model.transientFailure() ? ". Try again in a moment; GET /api/health shows Ollama's state." : "."));
        }
        if (e instanceof Neo4jException neo4j) {
            log.warn("Answer failed in Neo4j: {}", neo4j.getMessage());
            return problem(HttpStatus.SERVICE_UNAVAILABLE, "The graph could not be searched",
                    "Neo4j failed: " + neo4j.getMessage() + ". GET /api/health shows whether Neo4j is reachable.");
        }
        log.error("Answer failed", e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "The answer failed",
                "An unexpected error stopped the answer (" + e.getClass().getSimpleName() + "); the server log has the details.");
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setInstance(URI.create("/api/query"));
        return problem;
    }

    private static String describe(HttpMessageNotReadableException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof StreamReadException read) {
                return "The request body is not valid JSON: " + read.getOriginalMessage();
            }
            if (t instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
                String field = jackson.getPath().getLast().getPropertyName();
                return "Field '" + field + "' has the wrong type: question is a string, stream a boolean, top_k a whole number";
            }
        }
        return "The request body must be a JSON object such as {\"question\": \"What is a safety stop?\", \"top_k\": 8}";
    }
}
