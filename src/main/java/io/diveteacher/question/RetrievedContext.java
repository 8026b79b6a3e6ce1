package io.diveteacher.question;

import java.util.List;

/**
 * What retrieval chose for one question: the passages (numbered, best first), the graph facts they support
 * and the entities they mention, and the question's words weighted by their rarity among the candidates.
 * Empty passages mean nothing relevant was found; {@code closest} are then the passages that came nearest (those
 * the relevance gate turned down), for a reader who wants to look anyway.
 */
record RetrievedContext(List<Passage> passages, List<Fact> facts, List<Answer.EntityRef> entities, Terms terms,
        long retrievalMs, List<Source> closest) {

    RetrievedContext(List<Passage> passages, List<Fact> facts, List<Answer.EntityRef> entities, Terms terms,
            long retrievalMs) {
        this(passages, facts, entities, terms, retrievalMs, List.of());
    }

    boolean empty() {
        return passages.isEmpty();
    }

    List<Source> sources() {
        return passages.stream().map(Passage::source).toList();
    }

    /** A passage in the prompt: its citation and its full text. */
    record Passage(Source source, String text) {
    }

    /** A relationship stated as one line, with the numbers of the passages that support it. */
    record Fact(String text, List<Integer> sources) {
    }
}
