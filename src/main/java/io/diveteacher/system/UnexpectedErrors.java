package io.diveteacher.system;

import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Problem details for every error no module handled itself: Spring MVC's own errors (bad JSON, wrong method,
 * upload too large, ...) as {@link ResponseEntityExceptionHandler} renders them, a multipart body that cannot be
 * read as the client error it is, and anything else as a 500 that says where to look. Stack traces go to the log,
 * never to the client. (Replaces Spring Boot's equivalent handler, which backs off when one exists.)
 */
@RestControllerAdvice
class UnexpectedErrors extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(UnexpectedErrors.class);

    /**
     * The multipart body is parsed before any controller is chosen, so this advice (not a module's) sees it. Too
     * large a body is {@code MaxUploadSizeExceededException}, a closer match handled by the superclass (413).
     */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> unreadableUpload(MultipartException e) {
        log.debug("Unreadable multipart request", e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, uploadProblem(e));
        problem.setTitle("Unreadable upload");
        return ResponseEntity.badRequest().body(problem);
    }

    /** What is wrong with a multipart body, in words, from what Tomcat's parser reported. */
    static String uploadProblem(MultipartException e) {
        StringBuilder causes = new StringBuilder();
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            causes.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append('\n');
        }
        String reported = causes.toString();
        String hint = " Send the PDF as the form field \"file\", e.g. curl -F file=@manual.pdf.";
        if (reported.contains("no multipart boundary")) {
            return "The request says multipart/form-data but gives no boundary, so its parts cannot be found." + hint;
        }
        if (reported.contains("Stream ended unexpectedly") || reported.contains("EOFException")) {
            return "The multipart body ends before its closing boundary: the upload was cut off. Send the file again.";
        }
        if (reported.contains("InvalidFileNameException")) {
            return "The file name of the upload contains a NUL character, which no file name may hold. "
                    + "Rename the file and send it again.";
        }
        return "The multipart body could not be read (" + firstLine(reported) + ")." + hint;
    }

    private static String firstLine(String text) {
        int end = text.indexOf('\n');
        String line = end < 0 ? text : text.substring(0, end);
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    /** A request parameter outside its bounds: the constraints' own messages say which and how. */
    @Override
    protected ResponseEntity<Object> handleHandlerMethodValidationException(HandlerMethodValidationException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String detail = e.getAllErrors().stream().map(MessageSourceResolvable::getDefaultMessage)
                .collect(Collectors.joining("; "));
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Invalid request");
        return ResponseEntity.badRequest().body(problem);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        log.error("Unexpected error", e);
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "An unexpected error occurred (" + e.getClass().getSimpleName() + "); the server log has the details.");
        problem.setTitle("Internal error");
        return ResponseEntity.internalServerError().body(problem);
    }
}
