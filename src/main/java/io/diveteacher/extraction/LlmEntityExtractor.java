package io.diveteacher.extraction;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.chat.prompt.PromptTemplate;
import org.springframework.core.io.ClassPathResource;

import io.diveteacher.inference.ChatReply;
import io.diveteacher.inference.ModelRuntime;
import tools.jackson.databind.JsonNode;

/**
 * Extraction with the Ollama chat model: structured output constrained by a JSON schema built from the
 * ontology, temperature 0. Output is repaired where safe; an unusable answer is asked for once more,
 * then the chunk is rejected.
 */
final class LlmEntityExtractor implements EntityExtractor {

    private static final Logger log = LoggerFactory.getLogger(LlmEntityExtractor.class);
    private static final String RETRY_NOTE = "\n\nYour previous answer was not a complete JSON object. "
            + "Answer with the JSON object only, and fewer entities if needed.";

    private final ModelRuntime models;
    private final Ontology ontology;
    private final String systemPrompt;
    private final PromptTemplate userPrompt;
    private final Map<String, Object> schema;

    LlmEntityExtractor(ModelRuntime models, Ontology ontology) {
        this.models = models;
        this.ontology = ontology;
        this.systemPrompt = new PromptTemplate(new ClassPathResource("prompts/extraction-system.st")).render(Map.of(
                "entityTypes", ontology.entityTypes().stream()
                        .map(t -> "- " + t.name() + ": " + t.description()).collect(Collectors.joining("\n")),
                "relationshipTypes", ontology.relationshipTypes().stream()
                        .map(t -> "- " + t.name() + ": " + t.description()).collect(Collectors.joining("\n"))));
        this.userPrompt = new PromptTemplate(new ClassPathResource("prompts/extraction-user.st"));
        this.schema = schema(ontology);
    }

    @Override
    public ExtractedGraph extract(String text) {
        String user = userPrompt.render(Map.of("text", text));
        String problem = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            ChatReply reply = models.chat(systemPrompt, attempt == 1 ? user : user + RETRY_NOTE, schema);
            JsonNode json = ModelOutput.parse(reply.content());
            if (json != null && json.has("entities")) {
                return toGraph(json);
            }
            problem = reply.truncated() ? "the answer was cut off at the output limit (done_reason length)"
                    : "the answer is not the JSON object asked for: " + abbreviate(reply.content());
            log.debug("Extraction attempt {} unusable: {}", attempt, problem);
        }
        throw new ExtractionRejectedException("extraction failed twice: " + problem);
    }

    @Override
    public String model() {
        return models.selection().extractionModel();
    }

    private ExtractedGraph toGraph(JsonNode json) {
        OntologyFilter filter = new OntologyFilter(ontology);
        for (JsonNode entity : json.path("entities")) {
            filter.entity(entity.path("name").asString(null), entity.path("type").asString(null),
                    entity.path("description").asString(""));
        }
        for (JsonNode relationship : json.path("relationships")) {
            filter.relationship(relationship.path("source").asString(null), relationship.path("target").asString(null),
                    relationship.path("type").asString(null), relationship.path("description").asString(""));
        }
        return filter.result();
    }

    private static String abbreviate(String content) {
        if (content == null) {
            return "(empty)";
        }
        String flat = content.replaceAll("\\s+", " ").strip();
        return flat.length() > 120 ? flat.substring(0, 120) + "…" : flat;
    }

    static Map<String, Object> schema(Ontology ontology) {
        Map<String, Object> entity = object(Map.of(
                "name", Map.of("type", "string"),
                "type", Map.of("type", "string", "enum", ontology.entityTypeNames()),
                "description", Map.of("type", "string")), List.of("name", "type", "description"));
        Map<String, Object> relationship = object(Map.of(
                "source", Map.of("type", "string"),
                "target", Map.of("type", "string"),
                "type", Map.of("type", "string", "enum", ontology.relationshipTypeNames()),
                "description", Map.of("type", "string")), List.of("source", "target", "type", "description"));
        return object(Map.of(
                "entities", Map.of("type", "array", "items", entity),
                "relationships", Map.of("type", "array", "items", relationship)), List.of("entities", "relationships"));
    }

    private static Map<String, Object> object(Map<String, Object> properties, List<String> required) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", new LinkedHashMap<>(properties));
        schema.put("required", required);
        return schema;
    }
}
