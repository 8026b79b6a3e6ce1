/**
 * Question answering over the graph: hybrid retrieval (vector, fulltext and graph expansion), prompt assembly,
 * generation with the extractive fallback, streaming, citations, the bounded question queue, the query API and
 * the {@code evaluate} command.
 */
@ApplicationModule(allowedDependencies = { "document", "inference", "graph", "command" })
package io.diveteacher.question;

import org.springframework.modulith.ApplicationModule;
