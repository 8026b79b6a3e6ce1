package io.diveteacher.system;

import java.net.URI;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.ModelAndView;

import io.swagger.v3.oas.annotations.Hidden;

/**
 * The servlet container's error page ({@code /error}): what fails outside Spring MVC's handlers (a filter's
 * {@code sendError}, an exception thrown before a controller is chosen) answered as an RFC 9457 problem detail like
 * every other error, never as Spring Boot's own error map or a page with a stack trace. Replaces Spring Boot's
 * {@code BasicErrorController}, which backs off when an {@link ErrorController} exists.
 */
@Controller
@Hidden
class ErrorPageController implements ErrorController {

    private static final Logger log = LoggerFactory.getLogger(ErrorPageController.class);

    /** For a browser: the same problem as a page, in the layout of the web application. */
    @RequestMapping(path = "${server.error.path:/error}", produces = MediaType.TEXT_HTML_VALUE)
    ModelAndView page(HttpServletRequest request) {
        ProblemDetail problem = problem(request);
        ModelAndView page = new ModelAndView("error", HttpStatus.valueOf(problem.getStatus()));
        page.addObject("status", problem.getStatus());
        page.addObject("title", problem.getTitle());
        page.addObject("detail", problem.getDetail());
        return page;
    }

    @RequestMapping(path = "${server.error.path:/error}")
    @ResponseBody
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        ProblemDetail problem = problem(request);
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    private ProblemDetail problem(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer n && HttpStatus.resolve(n) != null ? HttpStatus.valueOf(n)
                : HttpStatus.INTERNAL_SERVER_ERROR;
        Throwable error = (Throwable) request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
        String detail;
        if (status.is5xxServerError()) {
            if (error != null) {
                log.error("Unhandled error for {}", request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI), error);
            }
            detail = ProblemErrorReportValve.SERVER_FAILED;
        } else if (status == HttpStatus.NOT_FOUND) {
            detail = ProblemErrorReportValve.NOTHING_HERE;
        } else {
            detail = "The request was refused (" + status.getReasonPhrase() + ").";
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(status.getReasonPhrase());
        Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
        if (uri instanceof String path && path.length() <= 512) {
            try {
                problem.setInstance(URI.create(path));
            } catch (IllegalArgumentException e) {
                // not a valid URI reference: leave it out
            }
        }
        return problem;
    }
}
