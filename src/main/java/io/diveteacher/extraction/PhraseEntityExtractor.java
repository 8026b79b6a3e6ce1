package io.diveteacher.extraction;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.diveteacher.document.Sentences;
import io.diveteacher.document.StopWords;

/**
 * The in-process fallback extraction (the "fast" extraction of FastGraphRAG): entities are noun phrases
 * found without a model (capitalised names, acronyms, ontology keywords, the ontology's quantities), typed by
 * the ontology's keywords; entities named in the same sentence are related by co-occurrence. Coarse, but
 * deterministic and free.
 */
final class PhraseEntityExtractor implements EntityExtractor {

    static final String MODEL = "noun phrases and co-occurrence (in-process)";

    private static final Pattern CAPITALISED = Pattern.compile(
            "\\b[A-Z][\\p{L}0-9+-]*(?:\\s+(?:of\\s+|for\\s+|de\\s+)?[A-Z][\\p{L}0-9+-]*)*\\b");
    private static final Pattern ACRONYM = Pattern.compile("\\b[A-Z][A-Z0-9]{1,9}s?\\b");
    // Words that may start or end a capitalised run without belonging to a name: function words, and words that
    // begin sentences or label things in manuals ("Check", "Table", "First").
    private static final Set<String> EDGE_WORDS = Stream.concat(StopWords.ENGLISH.stream(), Stream.of("without",
            "every", "never", "always", "one", "two", "three", "page", "chapter", "section", "table", "figure",
            "note", "use", "check", "keep", "stop", "start", "make", "plan", "yes", "because", "since", "however",
            "therefore", "first", "second", "third", "finally")).collect(Collectors.toUnmodifiableSet());
    // French sentences start with capitalised articles too ("Le palier", "La Fédération").
    private static final Predicate<String> FRENCH_FUNCTION_WORD = StopWords.of("fr");
    private static final int MAX_ENTITIES_PER_SENTENCE = 8;

    private final Ontology ontology;
    private final List<Keyword> keywords = new ArrayList<>();
    private final Pattern quantity;

    PhraseEntityExtractor(Ontology ontology) {
        this.ontology = ontology;
        this.quantity = ontology.quantities() == null ? null : Pattern.compile("\\b\\d+(?:[.,]\\d+)?\\s?(?:"
                + ontology.quantities().units().stream().map(Pattern::quote).collect(Collectors.joining("|")) + ")(?![\\p{L}\\p{N}])",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        for (Ontology.EntityType type : ontology.entityTypes()) {
            for (String keyword : type.keywords()) {
                keywords.add(new Keyword(Pattern.compile("\\b" + Pattern.quote(keyword.toLowerCase(Locale.ROOT)) + "s?\\b"),
                        type.name()));
            }
        }
        // Longest keywords first, so "decompression sickness" wins over "decompression".
        keywords.sort((a, b) -> b.pattern().pattern().length() - a.pattern().pattern().length());
    }

    @Override
    public ExtractedGraph extract(String text) {
        OntologyFilter filter = new OntologyFilter(ontology);
        for (Sentences.Sentence sentence : Sentences.of(text)) {
            String flat = sentence.text().replaceAll("\\s+", " ").strip();
            if (flat.isEmpty()) {
                continue;
            }
            Map<String, String> found = phrases(flat);
            List<String> names = new ArrayList<>();
            for (var entry : found.entrySet()) {
                if (names.size() == MAX_ENTITIES_PER_SENTENCE) {
                    break;
                }
                if (filter.entity(entry.getKey(), entry.getValue(), flat) != null) {
                    names.add(entry.getKey());
                }
            }
            for (int i = 0; i < names.size(); i++) {
                for (int j = i + 1; j < names.size(); j++) {
                    filter.relationship(names.get(i), names.get(j), Ontology.GENERIC_RELATIONSHIP, flat);
                }
            }
        }
        return filter.result();
    }

    @Override
    public String fingerprint() {
        // The method's version: change it when its rules change, so that cached results of the old rules go unused.
        return "phrase-extraction-1\n" + ontology;
    }

    @Override
    public String model() {
        return MODEL;
    }

    /** Phrases of one sentence with their types, in order of appearance. */
    private Map<String, String> phrases(String sentence) {
        Map<String, String> found = new LinkedHashMap<>();
        String lower = sentence.toLowerCase(Locale.ROOT);
        boolean[] taken = new boolean[sentence.length()];
        for (Keyword keyword : keywords) {
            Matcher m = keyword.pattern().matcher(lower);
            while (m.find()) {
                if (claim(taken, m.start(), m.end())) {
                    found.put(sentence.substring(m.start(), m.end()), keyword.type());
                }
            }
        }
        if (quantity != null) {
            Matcher m = quantity.matcher(sentence);
            while (m.find()) {
                if (claim(taken, m.start(), m.end())) {
                    found.put(m.group(), ontology.quantities().type());
                }
            }
        }
        for (Pattern pattern : List.of(ACRONYM, CAPITALISED)) {
            Matcher m = pattern.matcher(sentence);
            while (m.find()) {
                String phrase = trimStopWords(m.group());
                if (phrase == null) {
                    continue;
                }
                int start = m.start() + m.group().indexOf(phrase);
                if (claim(taken, start, start + phrase.length())) {
                    found.put(phrase, typeOf(phrase));
                }
            }
        }
        return found;
    }

    private String typeOf(String phrase) {
        String lower = phrase.toLowerCase(Locale.ROOT);
        for (Keyword keyword : keywords) {
            if (keyword.pattern().matcher(lower).find()) {
                return keyword.type();
            }
        }
        return ontology.defaultEntityType();
    }

    private static boolean edgeWord(String word) {
        String lower = word.toLowerCase(Locale.ROOT);
        return EDGE_WORDS.contains(lower) || FRENCH_FUNCTION_WORD.test(lower);
    }

    private static String trimStopWords(String phrase) {
        List<String> words = new ArrayList<>(List.of(phrase.split("\\s+")));
        while (!words.isEmpty() && edgeWord(words.getFirst())) {
            words.removeFirst();
        }
        while (!words.isEmpty() && edgeWord(words.getLast())) {
            words.removeLast();
        }
        if (words.isEmpty()) {
            return null;
        }
        String result = String.join(" ", words);
        // A lone capitalised word is usually a sentence start, not a name, unless it is an acronym.
        if (words.size() == 1 && !ACRONYM.matcher(result).matches() && result.length() < 4) {
            return null;
        }
        return result;
    }

    private static boolean claim(boolean[] taken, int start, int end) {
        for (int i = start; i < end; i++) {
            if (taken[i]) {
                return false;
            }
        }
        for (int i = start; i < end; i++) {
            taken[i] = true;
        }
        return true;
    }

    private record Keyword(Pattern pattern, String type) {
    }
}
