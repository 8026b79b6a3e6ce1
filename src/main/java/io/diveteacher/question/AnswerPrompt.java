package io.diveteacher.question;

import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.ai.chat.prompt.PromptTemplate;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

import io.diveteacher.graph.GraphRetrieval;

/**
 * The answer prompt ({@code prompts/answer-*.st}): numbered passages with their document and page, the
 * graph facts with the passages that support them, then the question.
 */
@Component
class AnswerPrompt {

    private final String system;
    private final PromptTemplate user;

    AnswerPrompt() {
        this.system = new PromptTemplate(new ClassPathResource("prompts/answer-system.st")).render();
        this.user = new PromptTemplate(new ClassPathResource("prompts/answer-user.st"));
    }

    String system() {
        return system;
    }

    String user(String question, RetrievedContext context) {
        String passages = context.passages().stream()
                .map(p -> "[" + p.source().n() + "] " + p.source().document() + ", page " + p.source().page() + "\n"
                        + p.text().strip())
                .collect(Collectors.joining("\n\n"));
        String facts = context.facts().isEmpty() ? "" : "\nFacts from the knowledge graph:\n" + context.facts().stream()
                .map(f -> "- " + f.text() + " " + f.sources().stream().map(n -> "[" + n + "]").collect(Collectors.joining()))
                .collect(Collectors.joining("\n")) + "\n";
        return user.render(Map.of("passages", passages, "facts", facts, "question", question.strip()));
    }

    /** Tokens the prompt takes besides passages and facts. */
    int overheadTokens(String question) {
        return tokens(system) + tokens(question) + 64;
    }

    static int passageTokens(GraphRetrieval.Passage passage) {
        int text = passage.tokens() > 0 ? passage.tokens() : tokens(passage.text());
        return text + tokens(passage.document()) + 8;
    }

    /**
     * A deliberately generous estimate (a token per three characters): Ollama's tokenizer is not available on
     * the JVM, and an over-long prompt would be cut silently by the server.
     */
    static int tokens(String text) {
        return (text.length() + 2) / 3;
    }
}
