package io.diveteacher.extraction;

/** The model's answer for a chunk stayed unusable after repair and one retry: the chunk is skipped and recorded. */
public class ExtractionRejectedException extends RuntimeException {

    public ExtractionRejectedException(String message) {
        super(message);
    }
}
