package io.diveteacher.question;

/**
 * A passage given to the model, numbered as the answer cites it: {@code [n]}. {@code page} is the page of
 * the excerpt; {@code score} is 1 for a passage ranked first by both searches and falls with rank.
 */
public record Source(int n, String document, String file, String documentId, int page, String excerpt, double score) {
}
