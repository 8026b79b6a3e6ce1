package io.diveteacher.ingestion;

import java.util.LinkedHashMap;
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

    private final DocumentCatalog catalog;
    private final Discovery discovery;

    DocumentPartitioner(DocumentCatalog catalog, Discovery discovery) {
        this.catalog = catalog;
        this.discovery = discovery;
    }

    @Override
    public Map<String, ExecutionContext> partition(int gridSize) {
        Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
        for (String id : discovery.pending()) {
            StoredDocument document = catalog.find(id)
                    .orElseThrow(() -> new IllegalStateException("document " + id + " vanished from the graph"));
            partitions.put(DocumentPartition.partitionName(id), new DocumentPartition(id, document.path(),
                    document.checksum(), document.name(), discovery.repairs().get(id)).toContext());
        }
        return partitions;
    }
}
