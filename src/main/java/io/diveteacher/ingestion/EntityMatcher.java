package io.diveteacher.ingestion;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.diveteacher.graph.EntityResolution;
import io.diveteacher.inference.EmbeddingCache;
import io.diveteacher.inference.ModelRuntime;

/**
 * The resolve step's entity matching (see {@link IngestionProperties.Resolution}): gives the entities without one an
 * embedding of their name, looks at each new one's nearest names of the same type through the {@code
 * entity_embedding} index, merges two spellings of one thing and links one thing's names in two languages by
 * {@code SAME_AS}. Only entities new since the last resolve are looked at; the ones they are compared with may be
 * of any age.
 */
@Component
class EntityMatcher {

    private static final Logger log = LoggerFactory.getLogger(EntityMatcher.class);
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:[.,]\\d+)?");
    private static final JaroWinklerSimilarity SIMILARITY = new JaroWinklerSimilarity();
    private static final int BATCH = 256;

    private final EntityResolution resolution;
    private final EmbeddingCache embeddings;
    private final ModelRuntime models;
    private final IngestionProperties.Resolution settings;

    EntityMatcher(EntityResolution resolution, EmbeddingCache embeddings, ModelRuntime models,
            IngestionProperties properties) {
        this.resolution = resolution;
        this.embeddings = embeddings;
        this.models = models;
        this.settings = properties.resolution();
    }

    /** What a pass did: entities merged into a spelling of theirs, and {@code SAME_AS} links made. */
    record Outcome(long merged, long linked) {
    }

    Outcome match() {
        if (!settings.enabled()) {
            return new Outcome(0, 0);
        }
        String model = models.embeddings().model();
        List<String> fresh = new ArrayList<>();
        for (List<EntityResolution.EntityName> batch = resolution.toEmbed(model, BATCH); !batch.isEmpty();
                batch = resolution.toEmbed(model, BATCH)) {
            EmbeddingCache.Vectors made = embeddings.embed(batch.stream().map(EntityResolution.EntityName::name).toList(),
                    true);
            Map<String, float[]> vectors = new LinkedHashMap<>();
            for (int i = 0; i < batch.size(); i++) {
                vectors.put(batch.get(i).id(), made.vectors().get(i));
                fresh.add(batch.get(i).id());
            }
            resolution.writeEmbeddings(vectors, model);
        }
        List<EntityResolution.Neighbours> spellings = new ArrayList<>();
        List<EntityResolution.Neighbours> sameAs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        double minCosine = Math.min(settings.spellingCosine(), settings.sameAsCosine());
        for (int from = 0; from < fresh.size(); from += BATCH) {
            for (EntityResolution.Neighbours pair : resolution.neighbours(fresh.subList(from, Math.min(fresh.size(),
                    from + BATCH)), settings.neighbours(), minCosine)) {
                String key = pair.id().compareTo(pair.otherId()) < 0 ? pair.id() + "|" + pair.otherId()
                        : pair.otherId() + "|" + pair.id();
                if (!seen.add(key) || !numbers(pair.name()).equals(numbers(pair.otherName()))) {
                    continue;
                }
                if (sameSpelling(pair.name(), pair.otherName()) && pair.cosine() >= settings.spellingCosine()) {
                    spellings.add(pair);
                } else if (pair.cosine() >= settings.sameAsCosine()) {
                    sameAs.add(pair);
                }
            }
        }
        Map<String, String> into = groups(spellings);
        long merged = resolution.merge(into);
        List<EntityResolution.Neighbours> links = sameAs.stream()
                .filter(p -> !into.containsKey(p.id()) && !into.containsKey(p.otherId())).toList();
        if (!links.isEmpty()) {
            resolution.link(links);
        }
        if (merged > 0 || !links.isEmpty()) {
            log.info("Entity matching: {} spelling(s) merged, {} SAME_AS link(s) made among {} new entities", merged,
                    links.size(), fresh.size());
        }
        return new Outcome(merged, links.size());
    }

    /** Whether two names are spelled alike, once case, accents and punctuation are set aside. */
    boolean sameSpelling(String a, String b) {
        return SIMILARITY.apply(normal(a), normal(b)) >= settings.spellingSimilarity();
    }

    /** The numbers a name holds, in order: names with different numbers are different things. */
    static List<String> numbers(String name) {
        List<String> numbers = new ArrayList<>();
        Matcher m = NUMBER.matcher(name);
        while (m.find()) {
            numbers.add(m.group().replace(',', '.'));
        }
        return numbers;
    }

    static String normal(String name) {
        String decomposed = Normalizer.normalize(name, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        return decomposed.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
    }

    /**
     * Spelling pairs joined into groups (a spelled like b, b like c: one group); in each, the most mentioned entity
     * (then the smallest id) is kept. Returns duplicate id to kept id.
     */
    private static Map<String, String> groups(List<EntityResolution.Neighbours> pairs) {
        Map<String, String> parent = new HashMap<>();
        Map<String, Long> mentions = new HashMap<>();
        for (EntityResolution.Neighbours pair : pairs) {
            mentions.put(pair.id(), pair.mentions());
            mentions.put(pair.otherId(), pair.otherMentions());
            String a = root(parent, pair.id());
            String b = root(parent, pair.otherId());
            if (!a.equals(b)) {
                parent.put(a, b);
            }
        }
        Map<String, List<String>> members = new HashMap<>();
        for (String id : mentions.keySet()) {
            members.computeIfAbsent(root(parent, id), r -> new ArrayList<>()).add(id);
        }
        Map<String, String> into = new HashMap<>();
        for (List<String> group : members.values()) {
            String keep = group.stream().sorted((x, y) -> {
                int byMentions = Long.compare(mentions.get(y), mentions.get(x));
                return byMentions != 0 ? byMentions : x.compareTo(y);
            }).findFirst().orElseThrow();
            group.stream().filter(id -> !id.equals(keep)).forEach(id -> into.put(id, keep));
        }
        return into;
    }

    private static String root(Map<String, String> parent, String id) {
        String root = id;
        while (parent.containsKey(root)) {
            root = parent.get(root);
        }
        return root;
    }
}
