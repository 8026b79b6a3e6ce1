package io.diveteacher.graph;

import java.util.List;
import java.util.Map;

/** Node counts by label, relationship counts by type, and the state of each index. */
public record GraphStats(Map<String, Long> nodes, Map<String, Long> relationships, List<IndexState> indexes) {

    public record IndexState(String name, String type, String state, double populationPercent) {
    }
}
