package io.diveteacher.extraction;

import java.util.List;

/**
 * Entities and relationships found in one chunk, validated against the ontology, ids normalised.
 *
 * @param incomplete why the model's answer may lack some of what the chunk states (it was cut off and could not be
 *        had whole), or null when the answer was complete
 */
public record ExtractedGraph(List<Entity> entities, List<Relationship> relationships, String incomplete) {


    /** A complete extraction. */
    public ExtractedGraph(List<Entity> entities, List<Relationship> relationships) {
        this(entities, relationships, null);
    }

    public boolean complete() {
        return incomplete == null;
    }

    /** @param key the normalised name, by which entities named alike are found and merged */
    public record Entity(String id, String name, String key, String type, String description) {

        /** An entity whose key is that of its name. */
        public Entity(String id, String name, String type, String description) {
            this(id, name, EntityNames.key(name), type, description);
        }
    }

    public record Relationship(String sourceId, String targetId, String type, String description) {
    }
}
