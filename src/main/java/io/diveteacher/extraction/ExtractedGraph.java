package io.diveteacher.extraction;

import java.util.List;

/**
 * Entities and relationships found in one chunk, validated against the ontology, ids normalised.
 *
 * @param incomplete why the model's answer may lack some of what the chunk states (it was cut off and could not be
 *        had whole), or null when the answer was complete
 */
public record ExtractedGraph(List<Entity> entities, List<Relationship> relationships, String incomplete) {

    public static final ExtractedGraph EMPTY = new ExtractedGraph(List.of(), List.of());

    /** A complete extraction. */
    public ExtractedGraph(List<Entity> entities, List<Relationship> relationships) {
        this(entities, relationships, null);
    }

    public boolean complete() {
        return incomplete == null;
    }

    public record Entity(String id, String name, String type, String description) {
    }

    public record Relationship(String sourceId, String targetId, String type, String description) {
    }
}
