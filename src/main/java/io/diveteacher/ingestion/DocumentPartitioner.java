package io.diveteacher.ingestion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import io.diveteacher.graph.DocumentCatalog;
import io.diveteacher.graph.StoredDocument;

/**
 * One partition per pending document, named after it so that a restart finds the same partitions. A document being
 * repaired (PARTIAL) carries the positions of the chunks to extract again.
 */
class DocumentPartitioner implements Partitioner {

    static final String DOCUMENT_ID = "documentId";
    static final String PATH = "path";
    static final String CHECKSUM = "checksum";
    static final String NAME = "name";
    static final String REPAIR = "repair";
    static final String WORKER_STEP = "ingestDocument";
    private static final String PARTITION_PREFIX = "document:";

    private final DocumentCatalog catalog;
    private final List<String> pending;
    private final Map<String, List<Integer>> repairs;

    DocumentPartitioner(DocumentCatalog catalog, List<String> pending, Map<String, List<Integer>> repairs) {
        this.catalog = catalog;
        this.pending = pending == null ? List.of() : pending;
        this.repairs = repairs == null ? Map.of() : repairs;
    }

    /** The name of the step execution that ingests this document. */
    static String stepName(String documentId) {
        return WORKER_STEP + ":" + PARTITION_PREFIX + documentId;
    }

    @Override
    public Map<String, ExecutionContext> partition(int gridSize) {
        Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
        for (String id : pending) {
            StoredDocument document = catalog.find(id)
                    .orElseThrow(() -> new IllegalStateException("document " + id + " vanished from the graph"));
            ExecutionContext context = new ExecutionContext();
            context.putString(DOCUMENT_ID, id);
            context.putString(PATH, document.path());
            context.putString(CHECKSUM, document.checksum());
            context.putString(NAME, document.name());
            if (repairs.containsKey(id)) {
                context.put(REPAIR, new ArrayList<>(repairs.get(id)));
            }
            partitions.put(PARTITION_PREFIX + id, context);
        }
        return partitions;
    }
}
