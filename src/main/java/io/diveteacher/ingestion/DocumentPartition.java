package io.diveteacher.ingestion;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.batch.infrastructure.item.ExecutionContext;

/**
 * One document's partition of the ingest step, as its step context carries it: the document, its file and the
 * checksum found by discovery, and for a repair the positions of the chunks to extract again (null: all).
 */
record DocumentPartition(String documentId, String path, String checksum, String name, List<Integer> repair) {

    /** Partitions are named after their document, so that a restart finds the same ones. */
    static final String WORKER_STEP = "ingestDocument";
    private static final String PREFIX = "document:";
    static final String DOCUMENT_ID = "documentId";
    private static final String PATH = "path";
    private static final String CHECKSUM = "checksum";
    private static final String NAME = "name";
    private static final String REPAIR = "repair";

    /** The name of the partition (within the ingest step) of this document. */
    static String partitionName(String documentId) {
        return PREFIX + documentId;
    }

    /** The name of the step execution that ingests this document. */
    static String stepName(String documentId) {
        return WORKER_STEP + ":" + partitionName(documentId);
    }

    /** The document's file name in a partition's step context, or the given text where the context has none. */
    static String nameIn(ExecutionContext context, String otherwise) {
        return context.getString(NAME, otherwise);
    }

    @SuppressWarnings("unchecked")
    static DocumentPartition of(ExecutionContext context) {
        List<Integer> repair = context.containsKey(REPAIR) ? ((List<Object>) context.get(REPAIR)).stream()
                .map(p -> ((Number) p).intValue()).toList() : null;
        return new DocumentPartition(context.getString(DOCUMENT_ID), context.getString(PATH),
                context.getString(CHECKSUM), context.getString(NAME), repair);
    }

    ExecutionContext toContext() {
        ExecutionContext context = new ExecutionContext(Map.of(DOCUMENT_ID, documentId, PATH, path, CHECKSUM, checksum,
                NAME, name));
        if (repair != null) {
            context.put(REPAIR, new ArrayList<>(repair));
        }
        return context;
    }
}
