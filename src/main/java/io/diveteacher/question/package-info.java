/**
 * Question answering over the graph: retrieval, prompt assembly, generation, streaming and citations.
 * Not built yet (see the query API issue).
 */
package io.diveteacher.question;
