package io.diveteacher.ingestion;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.support.CronExpression;
import org.springframework.stereotype.Component;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import io.diveteacher.document.ChunkingProperties;
import io.diveteacher.extraction.Ontology;

/**
 * The job definitions of the jobs folder ({@code DIVETEACHER_JOBS_DIR}): one YAML file per ingestion source.
 * Loaded and checked at start-up; a definition with an error is logged with its file, line and reason and left
 * out, and the others load. A definition may bring its own {@code chunking} and {@code ontology}. The YAML is read
 * as a node tree (SnakeYAML, which Spring Boot ships) because only
 * the nodes know the line each value is on.
 */
@Component
class JobDefinitions {

    private static final Logger log = LoggerFactory.getLogger(JobDefinitions.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Set<String> KEYS = Set.of("name", "source", "pattern", "schedule", "delete_missing", "ontology",
            "chunking");

    private final Map<String, JobDefinition> definitions = new LinkedHashMap<>();
    private final List<String> errors = new ArrayList<>();

    JobDefinitions(IngestionProperties properties, ChunkingProperties chunking) {
        Path folder = properties.jobsDirectory();
        if (!Files.isDirectory(folder)) {
            log.info("No job definitions: {} is not a folder (DIVETEACHER_JOBS_DIR)", folder);
            return;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(p -> p.getFileName().toString().matches(".*\\.ya?ml")).sorted().toList();
        } catch (IOException e) {
            throw new IllegalStateException("cannot list the job definitions in " + folder + ": " + e.getMessage(), e);
        }
        for (Path file : files) {
            try {
                JobDefinition definition = parse(file, chunking);
                if (definitions.containsKey(definition.name())) {
                    throw new DefinitionException(1, "the name '" + definition.name() + "' is already used by "
                            + definitions.get(definition.name()).file().getFileName());
                }
                definitions.put(definition.name(), definition);
            } catch (DefinitionException e) {
                String message = file + ":" + e.line + ": " + e.getMessage();
                errors.add(message);
                log.error("Job definition left out: {}", message);
            }
        }
        log.info("Job definitions: {} loaded from {}{}", definitions.size(), folder,
                errors.isEmpty() ? "" : ", " + errors.size() + " with errors (see above)");
    }

    List<JobDefinition> all() {
        return List.copyOf(definitions.values());
    }

    Optional<JobDefinition> find(String name) {
        return Optional.ofNullable(definitions.get(name));
    }

    /** Problems found in definition files, each as {@code file:line: reason}. */
    List<String> errors() {
        return List.copyOf(errors);
    }

    static JobDefinition parse(Path file, ChunkingProperties defaultChunking) throws DefinitionException {
        Node root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new LoaderOptions()).compose(reader);
        } catch (MarkedYAMLException e) {
            throw new DefinitionException(e.getProblemMark() == null ? 1 : e.getProblemMark().getLine() + 1,
                    "not valid YAML: " + e.getProblem());
        } catch (IOException e) {
            throw new DefinitionException(1, "cannot read the file: " + e.getMessage());
        }
        if (!(root instanceof MappingNode mapping)) {
            throw new DefinitionException(root == null ? 1 : line(root), "a definition is a YAML mapping with at least "
                    + "'source' (and 'name', 'pattern', 'schedule', 'delete_missing')");
        }
        Map<String, Node> values = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = ((ScalarNode) tuple.getKeyNode()).getValue();
            if (!KEYS.contains(key)) {
                throw new DefinitionException(line(tuple.getKeyNode()), "unknown key '" + key + "'; the keys are " + KEYS);
            }
            values.put(key, tuple.getValueNode());
        }
        String fileName = file.getFileName().toString().replaceFirst("\\.ya?ml$", "");
        String name = values.containsKey("name") ? scalar(values.get("name"), "name") : fileName;
        if (!NAME.matcher(name).matches()) {
            throw new DefinitionException(values.containsKey("name") ? line(values.get("name")) : 1, "the name '" + name
                    + "' must be 1 to 64 letters, digits, '.', '_' or '-'");
        }
        if (!values.containsKey("source")) {
            throw new DefinitionException(1, "'source' is missing: the folder to ingest, relative to this file or absolute");
        }
        Node sourceNode = values.get("source");
        Path source = file.toAbsolutePath().getParent().resolve(scalar(sourceNode, "source")).normalize();
        if (!Files.isDirectory(source)) {
            throw new DefinitionException(line(sourceNode), "source " + source + " is not a folder");
        }
        String pattern = IngestionRequest.DEFAULT_PATTERN;
        if (values.containsKey("pattern")) {
            pattern = scalar(values.get("pattern"), "pattern");
            try {
                FileSystems.getDefault().getPathMatcher("glob:" + pattern);
            } catch (IllegalArgumentException e) {
                throw new DefinitionException(line(values.get("pattern")), "pattern is not a valid glob: " + e.getMessage());
            }
        }
        CronExpression schedule = null;
        if (values.containsKey("schedule")) {
            String cron = scalar(values.get("schedule"), "schedule");
            try {
                schedule = CronExpression.parse(cron);
            } catch (IllegalArgumentException e) {
                throw new DefinitionException(line(values.get("schedule")), "schedule '" + cron + "' is not a Spring cron "
                        + "expression (six fields: second minute hour day month weekday, e.g. \"0 */15 * * * *\"): "
                        + e.getMessage());
            }
        }
        boolean deleteMissing = false;
        if (values.containsKey("delete_missing")) {
            String value = scalar(values.get("delete_missing"), "delete_missing");
            if (!value.equals("true") && !value.equals("false")) {
                throw new DefinitionException(line(values.get("delete_missing")), "delete_missing must be true or false");
            }
            deleteMissing = Boolean.parseBoolean(value);
        }
        ChunkingProperties chunking = values.containsKey("chunking") ? chunking(values.get("chunking"), defaultChunking) : null;
        Ontology ontology = values.containsKey("ontology") ? ontology(values.get("ontology")) : null;
        try {
            source = source.toRealPath();
        } catch (IOException e) {
            throw new DefinitionException(line(sourceNode), "source " + source + " cannot be resolved: " + e.getMessage());
        }
        return new JobDefinition(name, file, source, pattern, schedule, deleteMissing, chunking, ontology);
    }

    /** {@code chunking: {max_tokens: 300, overlap: 0.1}}; a key left out keeps the application's value. */
    private static ChunkingProperties chunking(Node node, ChunkingProperties defaults) throws DefinitionException {
        Map<String, Node> values = mapping(node, "chunking", Set.of("max_tokens", "overlap"));
        try {
            int maxTokens = values.containsKey("max_tokens") ? Integer.parseInt(scalar(values.get("max_tokens"), "max_tokens"))
                    : defaults.maxTokens();
            double overlap = values.containsKey("overlap") ? Double.parseDouble(scalar(values.get("overlap"), "overlap"))
                    : defaults.overlap();
            return new ChunkingProperties(maxTokens, overlap);
        } catch (IllegalArgumentException e) {
            throw new DefinitionException(line(node), "chunking: " + e.getMessage());
        }
    }

    /**
     * {@code ontology: {entity_types: [{name, description, keywords}], relationship_types: [{name, description}],
     * default_entity_type, quantities: {type, units}}}, replacing the application's ontology for this source.
     */
    private static Ontology ontology(Node node) throws DefinitionException {
        Map<String, Node> values = mapping(node, "ontology",
                Set.of("entity_types", "relationship_types", "default_entity_type", "quantities"));
        List<Ontology.EntityType> entityTypes = new ArrayList<>();
        for (Node item : sequence(values.get("entity_types"), "ontology.entity_types", node)) {
            Map<String, Node> type = mapping(item, "an entity type", Set.of("name", "description", "keywords"));
            List<String> keywords = new ArrayList<>();
            if (type.containsKey("keywords")) {
                for (Node keyword : sequence(type.get("keywords"), "keywords", item)) {
                    keywords.add(scalar(keyword, "keywords"));
                }
            }
            entityTypes.add(new Ontology.EntityType(type.containsKey("name") ? scalar(type.get("name"), "name") : null,
                    type.containsKey("description") ? scalar(type.get("description"), "description") : "", keywords));
        }
        List<Ontology.RelationshipType> relationshipTypes = new ArrayList<>();
        for (Node item : sequence(values.get("relationship_types"), "ontology.relationship_types", node)) {
            Map<String, Node> type = mapping(item, "a relationship type", Set.of("name", "description"));
            relationshipTypes.add(new Ontology.RelationshipType(type.containsKey("name") ? scalar(type.get("name"), "name") : null,
                    type.containsKey("description") ? scalar(type.get("description"), "description") : ""));
        }
        String defaultType = values.containsKey("default_entity_type")
                ? scalar(values.get("default_entity_type"), "default_entity_type") : null;
        Ontology.Quantities quantities = null;
        try {
            if (values.containsKey("quantities")) {
                Node item = values.get("quantities");
                Map<String, Node> q = mapping(item, "quantities", Set.of("type", "units"));
                List<String> units = new ArrayList<>();
                if (q.containsKey("units")) {
                    for (Node unit : sequence(q.get("units"), "quantities.units", item)) {
                        units.add(scalar(unit, "units"));
                    }
                }
                quantities = new Ontology.Quantities(q.containsKey("type") ? scalar(q.get("type"), "type") : null, units);
            }
            return new Ontology(entityTypes, relationshipTypes, defaultType, quantities);
        } catch (IllegalArgumentException e) {
            throw new DefinitionException(line(node), "ontology: " + e.getMessage());
        }
    }

    private static Map<String, Node> mapping(Node node, String what, Set<String> keys) throws DefinitionException {
        if (!(node instanceof MappingNode mapping)) {
            throw new DefinitionException(line(node), what + " must be a mapping with the keys " + keys);
        }
        Map<String, Node> values = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            String key = ((ScalarNode) tuple.getKeyNode()).getValue();
            if (!keys.contains(key)) {
                throw new DefinitionException(line(tuple.getKeyNode()), "unknown key '" + key + "' in " + what
                        + "; the keys are " + keys);
            }
            values.put(key, tuple.getValueNode());
        }
        return values;
    }

    private static List<Node> sequence(Node node, String what, Node parent) throws DefinitionException {
        if (node == null) {
            throw new DefinitionException(line(parent), what + " is missing");
        }
        if (!(node instanceof SequenceNode sequence)) {
            throw new DefinitionException(line(node), what + " must be a list");
        }
        return sequence.getValue();
    }

    private static String scalar(Node node, String key) throws DefinitionException {
        if (node instanceof ScalarNode scalar && !scalar.getValue().isBlank()) {
            return scalar.getValue().strip();
        }
        throw new DefinitionException(line(node), "'" + key + "' must be a single non-empty value");
    }

    private static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    /** A definition with an error at a line of its file. */
    static final class DefinitionException extends Exception {
        private final int line;

        DefinitionException(int line, String message) {
            super(message);
            this.line = line;
        }

        int line() {
            return line;
        }
    }

    /** One ingestion source: its folder, the files to take, when it runs and whether deletions follow the folder. */
    record JobDefinition(String name, Path file, Path source, String pattern, CronExpression schedule,
            boolean deleteMissing, ChunkingProperties chunking, Ontology ontology) {

        IngestionRequest request(java.time.Duration settle) {
            return new IngestionRequest(source.toString(), name, pattern, deleteMissing, settle);
        }
    }
}
