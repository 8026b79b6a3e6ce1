package io.diveteacher.extraction;

import java.util.List;

/** Entities and relationships found in one chunk, validated against the ontology, ids normalised. */
public record ExtractedGraph(List<Entity> entities, List<Relationship> relationships) {

    public static final ExtractedGraph EMPTY = new ExtractedGraph(List.of(), List.of());

    public record Entity(String id, String name, String type, String description) {
    }

    public record Relationship(String sourceId, String targetId, String type, String description) {
    }
}
