package io.diveteacher.extraction;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.ai.chat.prompt.PromptTemplate;
import org.springframework.core.io.ClassPathResource;

import io.diveteacher.document.TokenCount;
import io.diveteacher.inference.ChatReply;
import io.diveteacher.inference.InferenceProperties;
import io.diveteacher.inference.ModelChat;
import io.diveteacher.inference.ModelRuntime;
import tools.jackson.databind.JsonNode;

/**
 * Extraction with the Ollama chat model: structured output constrained by a JSON schema built from the
 * ontology, temperature 0. An answer is final only when nothing of it was lost:
 * <ol>
 * <li>an answer that is not the JSON object asked for is asked for once more, then the chunk is rejected;</li>
 * <li>an answer cut off at the output limit ({@code done_reason: length}), or one whose repair dropped content, is
 * asked for again with a larger {@code num_predict} (a dense chunk can need more output than the default);</li>
 * <li>still cut off, the chunk's text is split in two and each half extracted, with the larger limit; when the
 * answers were not cut off at the limit but stopped mid-way (a glitch, not a chunk too dense for its output), the
 * halves' findings are kept but marked incomplete, so the next run asks for the whole chunk again: halves cannot see
 * the relationships across them, and a result kept as final would stay (and be cached) instead of the whole
 * chunk's;</li>
 * <li>a half that still cannot be had whole is kept as far as it was parsed, and the result says so
 * ({@link ExtractedGraph#incomplete()}): the chunk is recorded as partial and re-extracted by the next run.</li>
 * </ol>
 */
final class LlmEntityExtractor implements EntityExtractor {

    private static final Logger log = LoggerFactory.getLogger(LlmEntityExtractor.class);
    private static final String RETRY_NOTE = "\n\nYour previous answer was not the JSON object asked for. "
            + "Answer with the JSON object only.";
    private static final String CUT_OFF = "the answer was cut off at the output limit";

    private final ModelChat chat;
    private final ModelRuntime models;
    private final Ontology ontology;
    private final String systemPrompt;
    /**
     * The user prompt's template rendered once, around the text: rendered per chunk, it took a fifth of the CPU an
     * extraction call costs this side of the wire.
     */
    private final UserPrompt userPrompt;
    private final Map<String, Object> schema;
    private final int numPredict;
    private final int numCtx;
    /** What, besides the model, decides the answers: the part of the fingerprint fixed for this extractor. */
    private final String settings;

    LlmEntityExtractor(ModelChat chat, ModelRuntime models, InferenceProperties inference, Ontology ontology) {
        this.chat = chat;
        this.models = models;
        this.ontology = ontology;
        this.numPredict = inference.numPredict();
        this.numCtx = inference.numCtx();
        this.systemPrompt = new PromptTemplate(new ClassPathResource("prompts/extraction-system.st")).render(Map.of(
                "entityTypes", ontology.entityTypes().stream()
                        .map(t -> "- " + t.name() + ": " + t.description()).collect(Collectors.joining("\n")),
                "relationshipTypes", ontology.relationshipTypes().stream()
                        .map(t -> "- " + t.name() + ": " + t.description()).collect(Collectors.joining("\n"))));
        this.userPrompt = UserPrompt.of(new PromptTemplate(new ClassPathResource("prompts/extraction-user.st")));
        this.schema = schema(ontology);
        this.settings = String.join("\n", "temperature=" + ModelChat.STRUCTURED_TEMPERATURE, "num_ctx=" + numCtx,
                "num_predict=" + numPredict, systemPrompt, userPrompt.around(""), schema.toString());
    }

    /** The user prompt's text before and after the chunk's: the template has one attribute, {@code text}. */
    private record UserPrompt(String before, String after) {

        private static final String MARK = "\u0000text\u0000";

        static UserPrompt of(PromptTemplate template) {
            String rendered = template.render(Map.of("text", MARK));
            int at = rendered.indexOf(MARK);
            if (at < 0 || rendered.indexOf(MARK, at + 1) >= 0) {
                throw new IllegalStateException("the extraction prompt must hold {text} exactly once: " + rendered);
            }
            return new UserPrompt(rendered.substring(0, at), rendered.substring(at + MARK.length()));
        }

        String around(String text) {
            return before + text + after;
        }
    }

    /** One model answer for a text, parsed; {@code cutOff} when something of it is known to be missing. */
    private record Attempt(JsonNode json, boolean cutOff, String problem) {

        boolean complete() {
            return json != null && !cutOff;
        }
    }

    @Override
    public ExtractedGraph extract(String text) {
        Attempt first = ask(text, numPredict);
        if (first.complete()) {
            return toGraph(List.of(first.json()), null);
        }
        int larger = largerLimit(text);
        if (larger <= numPredict) {
            return keep(List.of(first), first.problem() + " and the context window (num_ctx " + numCtx
                    + ") leaves no room for a longer one");
        }
        Attempt longer = askAgain(text, larger);
        if (longer.complete()) {
            return toGraph(List.of(longer.json()), null);
        }
        log.debug("Extraction still cut off with num_predict {}: extracting each half of the chunk", larger);
        List<Attempt> halves = new ArrayList<>();
        for (String half : halves(text)) {
            halves.add(askAgain(half, larger));
        }
        if (halves.stream().allMatch(Attempt::complete)) {
            return toGraph(halves.stream().map(Attempt::json).toList(), longer.problem().startsWith(CUT_OFF) ? null
                    : longer.problem() + ", twice; the chunk was extracted in two halves, which cannot see the "
                            + "relationships across them");
        }
        List<Attempt> kept = halves.stream().anyMatch(h -> h.json() != null) ? halves : List.of(longer);
        String problem = halves.stream().filter(h -> !h.complete()).map(Attempt::problem).findFirst().orElseThrow();
        return keep(kept, problem + ", even for half of the chunk");
    }

    /**
     * The model's answer for a text, asked for once more when it is not the JSON object asked for; a lossless
     * answer is complete, a repaired or cut-off one is not.
     * @throws ExtractionRejectedException when both answers are unusable and neither was cut off
     */
    private Attempt ask(String text, int limit) {
        String user = userPrompt.around(text);
        String problem = null;
        for (int attempt = 1; attempt <= 2; attempt++) {
            ChatReply reply = chat.chat(systemPrompt, attempt == 1 ? user : user + RETRY_NOTE, schema, limit);
            ModelOutput.Parsed parsed = ModelOutput.parse(reply.content());
            boolean usable = parsed.json() != null && parsed.json().has("entities");
            if (reply.truncated() || usable && !parsed.lossless()) {
                // A cut-off answer is never final, even when what was written happens to parse.
                String why = reply.truncated() ? CUT_OFF + " (num_predict " + limit + ")"
                        : "the answer was incomplete (" + parsed.dropped() + ")";
                log.debug("Extraction answer incomplete: {}", why);
                return new Attempt(usable ? parsed.json() : null, true, why);
            }
            if (usable) {
                return new Attempt(parsed.json(), false, null);
            }
            problem = "the answer is not the JSON object asked for: " + abbreviate(reply.content());
            log.debug("Extraction attempt {} unusable: {}", attempt, problem);
        }
        throw new ExtractionRejectedException("extraction failed twice: " + problem);
    }

    /** {@link #ask} once the first answer was cut off: an unusable answer now is one more incomplete one. */
    private Attempt askAgain(String text, int limit) {
        try {
            return ask(text, limit);
        } catch (ExtractionRejectedException e) {
            return new Attempt(null, true, e.getMessage());
        }
    }

    /** What was parsed of incomplete answers, marked as incomplete with the reason. */
    private ExtractedGraph keep(List<Attempt> attempts, String reason) {
        List<JsonNode> parsed = attempts.stream().map(Attempt::json).filter(Objects::nonNull).toList();
        ExtractedGraph graph = toGraph(parsed, reason);
        log.debug("Extraction kept incomplete ({} entities): {}", graph.entities().size(), reason);
        return graph;
    }

    /** A larger output limit for a second try: twice the configured one, as far as the context window allows. */
    private int largerLimit(String text) {
        int prompt = TokenCount.of(systemPrompt) + TokenCount.of(userPrompt.around(text));
        return Math.min(2 * numPredict, numCtx - prompt - 64);
    }

    /** The text in two, at the paragraph, line, sentence or word break nearest its middle. */
    static List<String> halves(String text) {
        int middle = text.length() / 2;
        int cut = -1;
        for (String separator : List.of("\n\n", "\n", ". ", " ")) {
            cut = nearest(text, separator, middle);
            if (cut > 0) {
                cut += separator.length();
                break;
            }
        }
        if (cut <= 0 || cut >= text.length()) {
            cut = middle;
        }
        return List.of(text.substring(0, cut).strip(), text.substring(cut).strip());
    }

    /** The start of the occurrence of {@code separator} nearest {@code middle} within its middle half, or -1. */
    private static int nearest(String text, String separator, int middle) {
        int before = text.lastIndexOf(separator, middle);
        int after = text.indexOf(separator, middle);
        int best = before < 0 ? after : after < 0 ? before : middle - before <= after - middle ? before : after;
        int quarter = text.length() / 4;
        return best >= 0 && Math.abs(best - middle) <= quarter ? best : -1;
    }

    @Override
    public String model() {
        return models.selection().chatModel();
    }

    @Override
    public String fingerprint() {
        var selection = models.selection();
        return String.join("\n", "llm-extraction", selection.chatModel(), selection.chatDigest(), settings);
    }

    /** The findings of one or more answers (the halves of a chunk) as one graph. */
    private ExtractedGraph toGraph(List<JsonNode> answers, String incomplete) {
        OntologyFilter filter = new OntologyFilter(ontology);
        for (JsonNode json : answers) {
            for (JsonNode entity : json.path("entities")) {
                filter.entity(entity.path("name").asString(null), entity.path("type").asString(null),
                        entity.path("description").asString(""));
            }
        }
        for (JsonNode json : answers) {
            for (JsonNode relationship : json.path("relationships")) {
                filter.relationship(relationship.path("source").asString(null),
                        relationship.path("target").asString(null), relationship.path("type").asString(null),
                        relationship.path("description").asString(""));
            }
        }
        ExtractedGraph graph = filter.result();
        return incomplete == null ? graph : new ExtractedGraph(graph.entities(), graph.relationships(), incomplete);
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
