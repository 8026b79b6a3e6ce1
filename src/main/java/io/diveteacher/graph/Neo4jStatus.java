package io.diveteacher.graph;

/** Whether the graph database answers, its version, and whether it is the embedded one. */
public record Neo4jStatus(boolean reachable, String version, boolean embedded, String error) {
}
