package io.diveteacher.system;

import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's error report for what it rejects before the application sees it (an encoded slash or NUL in the path, a
 * path above the root, a request line or headers beyond the limit): an RFC 9457 problem detail instead of Tomcat's
 * HTML page, with no server version and no stack trace. Everything that reaches the application is answered by
 * Spring (see {@link ErrorPageController}); this valve only writes when nothing has been written yet.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

    private static final JsonMapper JSON = JsonMapper.shared();
    static final String SERVER_FAILED = "The server could not handle this request; its log has the details.";
    static final String NOTHING_HERE = "There is nothing at this address; the API is described at /v3/api-docs.";

    public ProblemErrorReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(JSON.writeValueAsString(problem(status)));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone; nothing more to say
        }
    }

    static Map<String, Object> problem(int status) {
        HttpStatus known = HttpStatus.resolve(status);
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", known == null ? "Error " + status : known.getReasonPhrase());
        problem.put("status", status);
        problem.put("detail", detail(status));
        return problem;
    }

    private static String detail(int status) {
        return switch (status) {
            case 400 -> "The server could not read this request: its URL or headers are malformed or too long (for example "
                    + "an encoded '/' or '\\' such as %2F or %5C, a NUL character, a path that climbs above the root with "
                    + "'..', or a URL or headers longer than 8 KB). Send the path as the API describes it (/v3/api-docs).";
            case 404 -> NOTHING_HERE;
            case 413 -> "The request is larger than the server accepts.";
            case 414 -> "The URL is longer than the server accepts (8 KB): send long input in a JSON body.";
            case 431 -> "The request headers are larger than the server accepts (8 KB).";
            case 505 -> "This HTTP version is not supported: use HTTP/1.1.";
            default -> status >= 500 ? SERVER_FAILED : "The request was refused by the server.";
        };
    }
}
