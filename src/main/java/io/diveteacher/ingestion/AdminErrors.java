package io.diveteacher.ingestion;

import org.springframework.batch.core.launch.JobExecutionNotRunningException;
import org.springframework.batch.core.launch.JobInstanceAlreadyCompleteException;
import org.springframework.batch.core.launch.JobRestartException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.util.ClassUtils;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/** Problem details for the admin job and upload API: what was wrong with the request, or why it conflicts. */
@Order(Ordered.HIGHEST_PRECEDENCE)
@RestControllerAdvice(assignableTypes = { AdminJobController.class, UploadController.class, ReembedController.class })
class AdminErrors {

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail invalid(IllegalArgumentException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage());
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail mistyped(MethodArgumentTypeMismatchException e) {
        String value = String.valueOf(e.getValue());
        if (value.length() > 40) {
            value = value.substring(0, 40) + "…";
        }
        String detail = "id".equals(e.getName())
                ? "'" + value + "' is not an execution id: an execution id is a whole number (GET /api/admin/jobs lists them)"
                : "'" + value + "' is not a valid " + e.getName() + (e.getRequiredType() != null
                        && Number.class.isAssignableFrom(ClassUtils.resolvePrimitiveIfNecessary(
                                e.getRequiredType())) ? ": a whole number is expected" : "");
        return problem(HttpStatus.BAD_REQUEST, "Invalid request", detail);
    }

    @ExceptionHandler(IngestionLauncher.AlreadyRunningException.class)
    ProblemDetail running(IngestionLauncher.AlreadyRunningException e) {
        ProblemDetail problem = problem(HttpStatus.CONFLICT, "Already running", e.getMessage()
                + "; watch it at /api/admin/jobs/" + e.executionId() + " or stop it first");
        problem.setProperty("execution_id", e.executionId());
        return problem;
    }

    @ExceptionHandler({ JobRestartException.class, JobInstanceAlreadyCompleteException.class,
            JobExecutionNotRunningException.class })
    ProblemDetail conflict(Exception e) {
        // Spring Batch wraps the reason a restart is refused; the innermost message says it.
        Throwable reason = e;
        while (reason.getCause() != null) {
            reason = reason.getCause();
        }
        return problem(HttpStatus.CONFLICT, "Not possible now", reason.getMessage());
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        return problem;
    }
}
