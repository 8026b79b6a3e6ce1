package io.diveteacher.question;

import java.util.List;

/** A query request that breaks the API's rules; the messages say which and how. */
class InvalidQueryException extends RuntimeException {

    private final List<String> problems;

    InvalidQueryException(List<String> problems) {
        super(String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    List<String> problems() {
        return problems;
    }
}
