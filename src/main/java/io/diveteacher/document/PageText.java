package io.diveteacher.document;

/** The text of one page (1-based number) in reading order. */
public record PageText(int number, String text) {
}
