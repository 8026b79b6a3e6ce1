package io.diveteacher.extraction;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns raw (name, type, description) findings into an {@link ExtractedGraph}: names cleaned and
 * normalised, types checked against the ontology, descriptions bounded, relationships kept only between
 * entities of the same chunk, duplicates merged.
 */
final class OntologyFilter {

    private static final int MAX_DESCRIPTION = 400;

    private final Ontology ontology;
    private final Map<String, ExtractedGraph.Entity> entities = new LinkedHashMap<>();
    private final Map<String, String> idsByKey = new LinkedHashMap<>();
    private final Set<ExtractedGraph.Relationship> relationships = new LinkedHashSet<>();
    private final Set<String> relationshipKeys = new LinkedHashSet<>();

    OntologyFilter(Ontology ontology) {
        this.ontology = ontology;
    }

    /** Adds an entity; an unknown type becomes the ontology's default type. Returns its id or null. */
    String entity(String name, String type, String description) {
        String clean = EntityNames.clean(name);
        if (clean == null) {
            return null;
        }
        String key = EntityNames.key(clean);
        String existing = idsByKey.get(key);
        if (existing != null) {
            return existing;
        }
        String canonicalType = ontology.entityType(type).orElse(ontology.defaultEntityType());
        String id = EntityNames.id(clean, canonicalType);
        idsByKey.put(key, id);
        entities.put(id, new ExtractedGraph.Entity(id, clean, key, canonicalType, bounded(description)));
        return id;
    }

    /** Adds a relationship between two names already added; anything else is dropped. */
    void relationship(String source, String target, String type, String description) {
        String sourceId = idOf(source);
        String targetId = idOf(target);
        if (sourceId == null || targetId == null || sourceId.equals(targetId)) {
            return;
        }
        String canonicalType = ontology.relationshipType(type).orElse(ontology.defaultRelationshipType());
        if (relationshipKeys.add(sourceId + "|" + canonicalType + "|" + targetId)) {
            relationships.add(new ExtractedGraph.Relationship(sourceId, targetId, canonicalType, bounded(description)));
        }
    }

    ExtractedGraph result() {
        return new ExtractedGraph(List.copyOf(entities.values()), new ArrayList<>(relationships));
    }

    private String idOf(String name) {
        String clean = EntityNames.clean(name);
        return clean == null ? null : idsByKey.get(EntityNames.key(clean));
    }

    private static String bounded(String description) {
        if (description == null) {
            return "";
        }
        String text = description.strip().replaceAll("\\s+", " ");
        if (text.length() <= MAX_DESCRIPTION) {
            return text;
        }
        int cut = text.lastIndexOf(' ', MAX_DESCRIPTION);
        return text.substring(0, cut < MAX_DESCRIPTION / 2 ? MAX_DESCRIPTION : cut) + "…";
    }
}
