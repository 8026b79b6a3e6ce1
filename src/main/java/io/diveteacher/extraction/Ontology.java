package io.diveteacher.extraction;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.ConstructorBinding;

/**
 * The entity and relationship types extraction may produce. Types are checked here before they reach
 * Cypher, so only these names ever become labels or relationship types. Configured under
 * {@code diveteacher.ontology} (a diving ontology by default, see application.yml).
 *
 * @param defaultEntityType the type of entities that fit no other (the last entity type when not set)
 * @param quantities which numbers-with-units the fallback extractor takes as entities, and their type; none when
 *        not set
 */
@ConfigurationProperties("diveteacher.ontology")
public record Ontology(List<EntityType> entityTypes, List<RelationshipType> relationshipTypes, String defaultEntityType,
        Quantities quantities) {

    private static final Pattern ENTITY_TYPE = Pattern.compile("[A-Z][A-Za-z0-9]{0,39}");
    private static final Pattern RELATIONSHIP_TYPE = Pattern.compile("[A-Z][A-Z0-9_]{0,39}");

    /** The type relationships fall back to when the model names none of the configured ones. */
    public static final String GENERIC_RELATIONSHIP = "RELATED_TO";

    @ConstructorBinding
    public Ontology {
        if (entityTypes == null || entityTypes.isEmpty()) {
            throw new IllegalArgumentException("diveteacher.ontology.entity-types must name at least one entity type");
        }
        if (relationshipTypes == null || relationshipTypes.isEmpty()) {
            throw new IllegalArgumentException("diveteacher.ontology.relationship-types must name at least one relationship type");
        }
        for (EntityType type : entityTypes) {
            if (type.name() == null || !ENTITY_TYPE.matcher(type.name()).matches()) {
                throw new IllegalArgumentException("ontology entity type '" + type.name()
                        + "' must be a CamelCase word (letters and digits, up to 40)");
            }
        }
        for (RelationshipType type : relationshipTypes) {
            if (type.name() == null || !RELATIONSHIP_TYPE.matcher(type.name()).matches()) {
                throw new IllegalArgumentException("ontology relationship type '" + type.name()
                        + "' must be UPPER_SNAKE_CASE (letters, digits, underscores, up to 40)");
            }
        }
        entityTypes = List.copyOf(entityTypes);
        relationshipTypes = List.copyOf(relationshipTypes);
        List<String> names = entityTypes.stream().map(EntityType::name).toList();
        if (defaultEntityType == null || defaultEntityType.isBlank()) {
            defaultEntityType = names.getLast();
        } else {
            String wanted = defaultEntityType;
            defaultEntityType = find(names, wanted).orElseThrow(() -> new IllegalArgumentException(
                    "diveteacher.ontology.default-entity-type '" + wanted + "' is not one of the entity types " + names));
        }
        if (quantities != null) {
            String wanted = quantities.type();
            quantities = new Quantities(find(names, wanted).orElseThrow(() -> new IllegalArgumentException(
                    "diveteacher.ontology.quantities.type '" + wanted + "' is not one of the entity types " + names)),
                    quantities.units());
        }
    }

    /** An ontology whose default type is its last entity type and which types no quantities. */
    public Ontology(List<EntityType> entityTypes, List<RelationshipType> relationshipTypes) {
        this(entityTypes, relationshipTypes, null, null);
    }

    public List<String> entityTypeNames() {
        return entityTypes.stream().map(EntityType::name).toList();
    }

    public List<String> relationshipTypeNames() {
        return relationshipTypes.stream().map(RelationshipType::name).toList();
    }

    /** The configured entity type with this name, compared case-insensitively. */
    public Optional<String> entityType(String name) {
        return find(entityTypeNames(), name);
    }

    public Optional<String> relationshipType(String name) {
        if (name == null) {
            return Optional.empty();
        }
        return find(relationshipTypeNames(), name.strip().replace(' ', '_').replace('-', '_'));
    }

    public String defaultRelationshipType() {
        return relationshipType(GENERIC_RELATIONSHIP).orElse(relationshipTypes.getLast().name());
    }

    private static Optional<String> find(List<String> names, String name) {
        if (name == null) {
            return Optional.empty();
        }
        String wanted = name.strip().toLowerCase(Locale.ROOT);
        return names.stream().filter(n -> n.toLowerCase(Locale.ROOT).equals(wanted)).findFirst();
    }

    /**
     * @param keywords words and phrases that mark this type for the fallback (phrase) extractor
     */
    public record EntityType(String name, String description, List<String> keywords) {
        public EntityType {
            keywords = keywords == null ? List.of() : List.copyOf(keywords);
            description = description == null ? "" : description;
        }
    }

    /**
     * Numbers with one of these units ("18 m", "3 minutes") are entities of {@code type} for the fallback
     * extractor; the units are matched case-insensitively as whole words.
     */
    public record Quantities(String type, List<String> units) {
        public Quantities {
            units = units == null ? List.of() : units.stream().filter(u -> u != null && !u.isBlank()).map(String::strip).toList();
            if (units.isEmpty()) {
                throw new IllegalArgumentException("diveteacher.ontology.quantities.units must name at least one unit");
            }
        }
    }

    public record RelationshipType(String name, String description) {
        public RelationshipType {
            description = description == null ? "" : description;
        }
    }
}
