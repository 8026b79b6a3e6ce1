/**
 * Question answering over the graph: retrieval, prompt assembly, generation, streaming and citations.
 * Not built yet (see the query API issue).
 */
@ApplicationModule(allowedDependencies = { "document", "inference", "graph", "command" })
package io.diveteacher.question;

import org.springframework.modulith.ApplicationModule;
