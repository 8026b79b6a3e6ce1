package io.diveteacher.question;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.diveteacher.document.Languages;
import io.diveteacher.graph.GraphRetrieval;
import io.diveteacher.inference.InferenceProperties;
import io.diveteacher.inference.ModelRuntime;

/**
 * Hybrid graph retrieval: the question's embedding against the vector index and its words against the
 * fulltext index, fused by reciprocal rank; passages that are neither similar enough nor share enough words
 * are dropped; the entities of the best passages lead through their relationships to further passages; the
 * context is then filled by score (not by the order things were found) within the token budget that
 * {@code num_ctx} leaves after the prompt and the answer.
 */
@Component
class Retriever {

    private static final Logger log = LoggerFactory.getLogger(Retriever.class);
    private static final Executor SEARCHES = Executors.newVirtualThreadPerTaskExecutor();
    private static final List<String> STAGES = List.of("embedding", "searches", "passages", "expansion", "context");

    private final ModelRuntime models;
    private final GraphRetrieval graph;
    private final QueryProperties properties;
    private final AnswerPrompt prompt;
    private final int numCtx;

    Retriever(ModelRuntime models, GraphRetrieval graph, QueryProperties properties, AnswerPrompt prompt,
            InferenceProperties inference) {
        this.models = models;
        this.graph = graph;
        this.properties = properties;
        this.prompt = prompt;
        this.numCtx = inference.numCtx();
    }

    RetrievedContext retrieve(String question, int topK) {
        long started = System.nanoTime();
        return retrieve(question, models.embeddings().embed(List.of(question)).getFirst(), topK, started);
    }

    /** The retrieval of a question whose embedding is known (the warm-up's, which makes no model call). */
    RetrievedContext retrieve(String question, float[] vector, int topK, long started) {
        long embedded = System.nanoTime();
        String language = Languages.ofQuestion(question);
        Terms terms = Terms.of(question, language);
        Map<String, Double> fused = fuse(vector, terms, language, Math.max(properties.candidates(), topK));
        long searched = System.nanoTime();
        Map<String, Candidate> candidates = relevant(fused, vector, terms);
        long judged = System.nanoTime();
        if (candidates.isEmpty()) {
            logStages(question, started, embedded, searched, judged);
            return new RetrievedContext(List.of(), List.of(), List.of(), terms, elapsedMs(started));
        }
        List<GraphRetrieval.Fact> facts = expand(candidates, topK);
        long expanded = System.nanoTime();
        RetrievedContext context = fill(question, language, topK, terms, candidates, facts, started);
        logStages(question, started, embedded, searched, judged, expanded, System.nanoTime());
        return context;
    }

    /**
     * Where a slow retrieval's time went, at debug level: the model (embedding), the two indexes, the passages, the
     * graph and the context, as far as the retrieval got ({@code marks}: when it started and each stage ended).
     */
    private static void logStages(String question, long... marks) {
        if (log.isDebugEnabled()) {
            StringBuilder stages = new StringBuilder();
            for (int i = 1; i < marks.length; i++) {
                stages.append(i > 1 ? ", " : "").append(STAGES.get(i - 1)).append(' ')
                        .append((marks[i] - marks[i - 1]) / 1_000_000).append(" ms");
            }
            log.debug("Retrieval of \"{}\" in {} ms: {}", question, elapsedMs(marks[0]), stages);
        }
    }

    /**
     * Whether one chosen passage holds what the question is specifically about (see {@link RelevanceGate}). Words
     * can only be compared within one language: when no chosen passage is in the question's language (a French
     * question over English manuals, found through the multilingual vector index), the similarity threshold that
     * chose them is all there is to go by.
     */
    private boolean covered(String question, String language, Terms terms, List<Candidate> chosen) {
        if (properties.minSpecificCoverage() == 0) {
            return true;
        }
        List<String> comparable = chosen.stream().map(Candidate::passage)
                .filter(p -> sameLanguage(language, p.language())).map(GraphRetrieval.Passage::text).toList();
        if (comparable.isEmpty()) {
            log.debug("Relevance gate for \"{}\": no chosen passage is in its language ({}), left to similarity",
                    question, language);
            return true;
        }
        GraphRetrieval.Rarity rarity = graph.rarity(terms.words().stream()
                .collect(Collectors.toMap(w -> w, Terms::luceneQuery, (a, b) -> a, LinkedHashMap::new)), language);
        RelevanceGate.Verdict verdict = RelevanceGate.judge(terms, rarity, comparable, properties.minSpecificCoverage());
        log.debug("Relevance gate for \"{}\": {} (best coverage {}, missing {})", question,
                verdict.covered() ? "covered" : "turned down", verdict.coverage(), verdict.missing());
        return verdict.covered();
    }

    /**
     * A question and a passage can be compared word by word: same language, or either one unclear (chunks written
     * before languages were detected have none).
     */
    private static boolean sameLanguage(String question, String passage) {
        return passage == null || Languages.UNDETERMINED.equals(passage) || Languages.UNDETERMINED.equals(question)
                || question.equals(passage);
    }

    /**
     * Vector and fulltext search, fused by reciprocal rank: a passage first in both lists scores 1. The words are
     * searched with the analyzer of the question's language (among the passages in that language).
     */
    private Map<String, Double> fuse(float[] vector, Terms terms, String language, int k) {
        // The two searches are independent: the fulltext one runs on a virtual thread while this one asks the vector
        // index (about 8 ms each on a 100,000-chunk graph; together they were 16 ms of a 37 ms median).
        CompletableFuture<List<GraphRetrieval.Match>> words = CompletableFuture.supplyAsync(
                () -> graph.fulltext(terms.luceneQuery(), k, language), SEARCHES);
        List<GraphRetrieval.Match> nearest = graph.nearest(vector, k);
        List<GraphRetrieval.Match> matching;
        try {
            matching = words.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        double best = 2.0 / (properties.rrfK() + 1);
        Map<String, Double> fused = new LinkedHashMap<>();
        for (List<GraphRetrieval.Match> list : List.of(nearest, matching)) {
            for (int rank = 0; rank < list.size(); rank++) {
                fused.merge(list.get(rank).id(), 1.0 / (properties.rrfK() + rank + 1) / best, Double::sum);
            }
        }
        return fused;
    }

    /** The fused passages similar enough to the question, or sharing enough of its words. */
    private Map<String, Candidate> relevant(Map<String, Double> fused, float[] vector, Terms terms) {
        double minSimilarity = properties.minSimilarity(models.selection().fallback());
        Map<String, Candidate> candidates = new LinkedHashMap<>();
        for (GraphRetrieval.Passage passage : graph.passages(fused.keySet(), vector)) {
            double similarity = passage.similarity() == null ? 0 : passage.similarity();
            double coverage = terms.coverage(passage.text());
            log.debug("Candidate {} page {}: fused {}, similarity {}, word coverage {}", passage.file(), passage.page(),
                    fused.get(passage.id()), similarity, coverage);
            if (similarity >= minSimilarity || coverage >= properties.minTermCoverage()) {
                candidates.put(passage.id(), new Candidate(passage, fused.get(passage.id())));
            }
        }
        return candidates;
    }

    /**
     * Graph expansion: the entities of the best passages lead through their relationships to the passages behind
     * those, added to the candidates at a share of the score they were reached from. Returns the facts walked.
     */
    private List<GraphRetrieval.Fact> expand(Map<String, Candidate> candidates, int topK) {
        List<Candidate> direct = candidates.values().stream().sorted(Candidate.BEST_FIRST).toList();
        List<Candidate> seeds = direct.subList(0, Math.min(properties.expansionSeeds(), direct.size()));
        Map<String, Double> entityScore = new HashMap<>();
        for (GraphRetrieval.Mention mention : graph.mentions(seeds.stream().map(c -> c.passage().id()).toList())) {
            double score = seeds.stream().filter(s -> mention.chunkIds().contains(s.passage().id()))
                    .mapToDouble(Candidate::score).max().orElse(0);
            entityScore.put(mention.id(), score);
        }
        // The candidates are named so that a fact's chunks include those of them that state it, which cite it.
        List<GraphRetrieval.Fact> facts = graph.facts(entityScore.keySet(), properties.maxFacts() * 2,
                candidates.keySet());
        Map<String, Double> reached = new LinkedHashMap<>();
        for (GraphRetrieval.Fact fact : facts) {
            double from = Math.max(entityScore.getOrDefault(fact.sourceId(), 0.0), entityScore.getOrDefault(fact.targetId(), 0.0));
            for (String chunkId : fact.chunkIds()) {
                if (!candidates.containsKey(chunkId)) {
                    reached.merge(chunkId, from * properties.expansionWeight(), Math::max);
                }
            }
        }
        List<String> expansion = reached.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .limit(topK).map(Map.Entry::getKey).toList();
        for (GraphRetrieval.Passage passage : graph.passages(expansion)) {
            candidates.put(passage.id(), new Candidate(passage, reached.get(passage.id())));
        }
        return facts;
    }

    /** The context filled by score (not by the order things were found) within the budget num_ctx leaves. */
    private RetrievedContext fill(String question, String language, int topK, Terms terms,
            Map<String, Candidate> candidates,
            List<GraphRetrieval.Fact> facts, long started) {
        int budget = numCtx - properties.answerTokens() - prompt.overheadTokens(question);
        List<Candidate> chosen = new ArrayList<>();
        for (Candidate candidate : candidates.values().stream().sorted(Candidate.BEST_FIRST).toList()) {
            int cost = AnswerPrompt.passageTokens(candidate.passage());
            if (chosen.size() < topK && cost <= budget) {
                chosen.add(candidate);
                budget -= cost;
            }
        }
        Terms weighted = terms.weightedBy(candidates.values().stream().map(c -> c.passage().text()).toList());
        List<RetrievedContext.Passage> passages = new ArrayList<>();
        Map<String, Integer> numbers = new HashMap<>();
        for (Candidate candidate : chosen) {
            int n = passages.size() + 1;
            numbers.put(candidate.passage().id(), n);
            passages.add(new RetrievedContext.Passage(source(n, candidate, weighted), candidate.passage().text()));
        }
        if (!covered(question, language, terms, chosen)) {
            return new RetrievedContext(List.of(), List.of(), List.of(), weighted, elapsedMs(started),
                    passages.stream().map(RetrievedContext.Passage::source).toList());
        }
        return new RetrievedContext(passages, facts(facts, numbers, budget), entities(chosen, terms), weighted,
                elapsedMs(started));
    }

    /** Facts supported by a chosen passage, as many as fit, each with the numbers of its passages. */
    private List<RetrievedContext.Fact> facts(List<GraphRetrieval.Fact> facts, Map<String, Integer> numbers, int budget) {
        List<RetrievedContext.Fact> result = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (GraphRetrieval.Fact fact : facts) {
            List<Integer> sources = fact.chunkIds().stream().filter(numbers::containsKey).map(numbers::get).sorted()
                    .distinct().toList();
            String text = fact.source() + " " + fact.type().toLowerCase(Locale.ROOT).replace('_', ' ') + " " + fact.target()
                    + (fact.description().isBlank() ? "" : ": " + fact.description().strip());
            if (sources.isEmpty() || !seen.add(text)) {
                continue;
            }
            int cost = AnswerPrompt.tokens(text) + 4;
            if (result.size() >= properties.maxFacts() || cost > budget) {
                break;
            }
            budget -= cost;
            result.add(new RetrievedContext.Fact(text, sources));
        }
        return result;
    }

    /** Entities the chosen passages mention: those named in the question first, then the most mentioned. */
    private List<Answer.EntityRef> entities(List<Candidate> chosen, Terms terms) {
        if (properties.maxEntities() == 0) {
            return List.of();
        }
        List<GraphRetrieval.Mention> mentions = graph.mentions(chosen.stream().map(c -> c.passage().id()).toList());
        List<GraphRetrieval.Mention> ordered = new ArrayList<>(mentions);
        ordered.sort(Comparator.comparing((GraphRetrieval.Mention m) -> terms.matches(m.name()) == 0));
        Set<Answer.EntityRef> entities = new LinkedHashSet<>();
        for (GraphRetrieval.Mention mention : ordered) {
            if (entities.size() == properties.maxEntities()) {
                break;
            }
            entities.add(new Answer.EntityRef(mention.name(), mention.type()));
        }
        return List.copyOf(entities);
    }

    private Source source(int n, Candidate candidate, Terms terms) {
        GraphRetrieval.Passage passage = candidate.passage();
        Excerpt excerpt = Excerpt.of(passage.text(), terms, properties.excerptChars());
        return new Source(n, passage.document(), passage.file(), passage.documentId(), passage.pageAt(excerpt.offset()),
                excerpt.text(), Math.round(candidate.score() * 1000) / 1000.0);
    }

    private static long elapsedMs(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    private record Candidate(GraphRetrieval.Passage passage, double score) {
        static final Comparator<Candidate> BEST_FIRST = Comparator.comparingDouble(Candidate::score).reversed()
                .thenComparing(c -> c.passage().id());
    }
}
