package io.diveteacher.ingestion;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * What the discover step found, kept in the job's context for the partitions, the resolve step, the progress and
 * the summary: every document of the sources, those to ingest (with the chunks each will make, and for a PARTIAL
 * one the positions of the chunks to extract again) and those unchanged.
 */
record Discovery(List<String> documents, List<String> pending, List<String> skipped, Map<String, Integer> chunksTotal,
        Map<String, List<Integer>> repairs) {

    private static final String DOCUMENTS = "documents";
    private static final String PENDING = "pending";
    private static final String SKIPPED = "skipped";
    private static final String CHUNKS_TOTAL = "chunksTotal";
    private static final String REPAIRS = "repairs";

    static final Discovery NONE = new Discovery(List.of(), List.of(), List.of(), Map.of(), Map.of());

    /** What a job's context holds; {@link #NONE} before discovery ran. */
    @SuppressWarnings("unchecked")
    static Discovery of(ExecutionContext context) {
        if (!context.containsKey(DOCUMENTS)) {
            return NONE;
        }
        Map<String, Integer> chunks = new HashMap<>();
        ((Map<String, Object>) context.get(CHUNKS_TOTAL, Map.class, Map.of()))
                .forEach((id, count) -> chunks.put(id, ((Number) count).intValue()));
        Map<String, List<Integer>> repairs = new HashMap<>();
        ((Map<String, List<Object>>) context.get(REPAIRS, Map.class, Map.of()))
                .forEach((id, positions) -> repairs.put(id, positions.stream().map(p -> ((Number) p).intValue()).toList()));
        return new Discovery((List<String>) context.get(DOCUMENTS), (List<String>) context.get(PENDING, List.class, List.of()),
                (List<String>) context.get(SKIPPED, List.class, List.of()), chunks, repairs);
    }

    void putInto(ExecutionContext context) {
        context.put(DOCUMENTS, new ArrayList<>(documents));
        context.put(PENDING, new ArrayList<>(pending));
        context.put(SKIPPED, new ArrayList<>(skipped));
        context.put(CHUNKS_TOTAL, new HashMap<>(chunksTotal));
        HashMap<String, ArrayList<Integer>> positions = new HashMap<>();
        repairs.forEach((id, list) -> positions.put(id, new ArrayList<>(list)));
        context.put(REPAIRS, positions);
    }

    long chunks() {
        return chunksTotal.values().stream().mapToLong(Integer::longValue).sum();
    }
}
