package io.diveteacher.graph;

/** The graph's schema exists and matches the embedding model: the graph can be queried. */
public record GraphReady(int dimensions) {
}
