package io.diveteacher.extraction;

/** Finds the entities and relationships of one chunk of text. Thread-safe. */
public interface EntityExtractor {

    /**
     * @throws ExtractionRejectedException when the model's output stays unusable after repair and one retry
     */
    ExtractedGraph extract(String text);

    /** The model (or method) that produces the entities, recorded on every chunk. */
    String model();

    /**
     * Everything but the text that determines what {@link #extract} returns: the model's name and digest, the
     * ontology, the prompts and the options that change the output. Part of the key of every cached extraction.
     */
    String fingerprint();
}
