package io.diveteacher.document;

/** Metadata from the PDF information dictionary; title falls back to the file name. */
public record DocumentInfo(String title, String author, int pages) {
}
