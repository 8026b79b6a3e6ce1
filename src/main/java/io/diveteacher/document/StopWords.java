package io.diveteacher.document;

import java.util.Set;

/**
 * English function words and question words: what a search or an extraction leaves out of a text's words. Other
 * languages still work through the vector search and the models.
 */
public final class StopWords {

    public static final Set<String> ENGLISH = Set.of("a", "about", "after", "all", "also", "an", "and", "any",
            "are", "as", "at", "be", "been", "before", "being", "between", "both", "but", "by", "can", "could",
            "did", "do", "does", "doing", "during", "each", "for", "from", "had", "has", "have", "having", "he",
            "her", "here", "his", "how", "i", "if", "in", "into", "is", "it", "its", "me", "more", "most", "my",
            "no", "nor", "not", "of", "off", "on", "once", "only", "or", "other", "our", "out", "over", "own",
            "same", "she", "should", "so", "some", "such", "than", "that", "the", "their", "them", "then",
            "there", "these", "they", "this", "those", "through", "to", "too", "under", "until", "up", "very",
            "was", "we", "were", "what", "when", "where", "which", "while", "who", "whom", "why", "will", "with",
            "would", "you", "your", "tell", "explain", "describe", "please", "much", "many", "must", "may",
            "might", "shall", "am", "s", "t");

    private StopWords() {
    }
}
