package io.diveteacher.system;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Problem details for every error no module handled itself: Spring MVC's own errors (bad JSON, wrong method,
 * upload too large, ...) as {@link ResponseEntityExceptionHandler} renders them, and anything else as a 500 that
 * says where to look. Stack traces go to the log, never to the client. (Replaces Spring Boot's equivalent
 * handler, which backs off when one exists.)
 */
@RestControllerAdvice
class UnexpectedErrors extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(UnexpectedErrors.class);

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("Unexpected error", e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "An unexpected error occurred (" + e.getClass().getSimpleName() + "); the server log has the details.");
        problem.setTitle("Internal error");
        return ResponseEntity.internalServerError().body(problem);
    }
}
