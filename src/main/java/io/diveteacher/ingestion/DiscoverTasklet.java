package io.diveteacher.ingestion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import io.diveteacher.document.SourceFile;
import io.diveteacher.graph.DocumentCatalog;
import io.diveteacher.graph.DocumentOutcome;
import io.diveteacher.graph.DocumentStatus;
import io.diveteacher.graph.StoredDocument;
import io.diveteacher.inference.ModelSelection;

/**
 * Step 1: lists the PDFs of the sources, checksums them and registers their Document nodes. A document
 * already ingested with the same checksum and models is skipped; a changed one loses its old content and
 * is queued again. The queue goes to the job context for the partitioner.
 */
class DiscoverTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(DiscoverTasklet.class);

    private final DocumentCatalog catalog;
    private final ModelSelection models;
    private final String sources;
    private final String pattern;
    private final boolean deleteMissing;
    private final Duration settle;

    DiscoverTasklet(DocumentCatalog catalog, ModelSelection models, String sources, String pattern,
            boolean deleteMissing, Duration settle) {
        this.catalog = catalog;
        this.models = models;
        this.sources = sources;
        this.pattern = pattern;
        this.deleteMissing = deleteMissing;
        this.settle = settle;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws IOException {
        List<String> all = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Map<String, Integer> chunksTotal = new HashMap<>();
        Map<String, List<Integer>> repairs = new HashMap<>();
        List<Path> files = IngestionSources.files(sources, pattern);
        List<String> unsettled = new ArrayList<>();
        if (!settle.isZero()) {
            files = settled(files, unsettled);
        }
        List<String> deleted = deleteMissing ? deleteMissing(files, unsettled) : List.of();
        for (Path path : files) {
            String id = documentId(path);
            all.add(id);
            SourceFile file;
            try {
                file = SourceFile.read(path);
            } catch (IOException e) {
                catalog.register(id, path.toString(), path.getFileName().toString(), "", 0, models.embeddingModel(),
                        models.chatModel());
                catalog.markFinished(id, new DocumentOutcome(DocumentStatus.FAILED, "cannot read the file: " + e.getMessage(), null,
                        null, null));
                continue;
            }
            StoredDocument existing = catalog.find(id).orElse(null);
            if (existing != null && existing.upToDate(file.checksum(), models.embeddingModel(), models.chatModel())) {
                skipped.add(id);
                continue;
            }
            if (existing != null && existing.repairable(file.checksum(), models.embeddingModel(), models.chatModel())) {
                // Only the chunks that are not whole in the graph are extracted again; the rest stays as it is.
                catalog.register(id, file.path().toString(), file.name(), file.checksum(), file.size(),
                        models.embeddingModel(), models.chatModel());
                pending.add(id);
                repairs.put(id, existing.incompleteChunks());
                chunksTotal.put(id, existing.incompleteChunks().size());
                continue;
            }
            if (existing != null) {
                catalog.removeContent(id);
            }
            catalog.register(id, file.path().toString(), file.name(), file.checksum(), file.size(),
                    models.embeddingModel(), models.chatModel());
            // Its chunks are counted by its partition as PDFBox reads it, once (see DocumentChunkReader).
            pending.add(id);
        }
        Discovery discovery = new Discovery(all, pending, skipped, chunksTotal, repairs);
        discovery.putInto(chunkContext.getStepContext().getStepExecution().getJobExecution().getExecutionContext());
        contribution.incrementReadCount();
        log.info("Discovered {} PDF(s): {} to ingest{}, {} unchanged{}{}", all.size(), pending.size(),
                repairs.isEmpty() ? "" : " (" + repairs.size() + " partly ingested: only their " + discovery.chunks()
                        + " incomplete chunks)",
                skipped.size(),
                unsettled.isEmpty() ? "" : ", " + unsettled.size() + " still being written (next run)",
                deleted.isEmpty() ? "" : ", " + deleted.size() + " gone from the source and deleted from the graph");
        return RepeatStatus.FINISHED;
    }

    /**
     * The files whose size and modification time stay the same over the settle time; the others are still
     * being written (a copy in progress) and wait for the next run.
     */
    private List<Path> settled(List<Path> files, List<String> unsettled) throws IOException {
        Map<Path, String> before = new HashMap<>();
        for (Path file : files) {
            before.put(file, stamp(file));
        }
        try {
            Thread.sleep(settle.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for files to settle", e);
        }
        List<Path> settled = new ArrayList<>();
        for (Path file : files) {
            if (before.get(file).equals(stamp(file))) {
                settled.add(file);
            } else {
                unsettled.add(file.toString());
                log.info("{} is still being written; it waits for the next run", file);
            }
        }
        return settled;
    }

    private static String stamp(Path file) {
        try {
            return Files.size(file) + "@" + Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return "gone";
        }
    }

    /** Deletes from the graph the documents under the source folders whose files are gone. */
    private List<String> deleteMissing(List<Path> files, List<String> unsettled) {
        Set<String> present = new HashSet<>(unsettled);
        files.forEach(f -> present.add(f.toString()));
        ArrayList<String> deleted = new ArrayList<>();
        List<StoredDocument> known = catalog.list();
        for (Path source : IngestionSources.paths(sources)) {
            if (!Files.isDirectory(source)) {
                continue;
            }
            String prefix = source + java.io.File.separator;
            for (StoredDocument document : known) {
                if (document.path().startsWith(prefix) && !present.contains(document.path())
                        && !Files.exists(Path.of(document.path()))) {
                    catalog.delete(document.id());
                    deleted.add(document.id());
                    log.info("{} is gone from {}: deleted from the graph (delete_missing)", document.path(), source);
                }
            }
        }
        return deleted;
    }

    /** A document is identified by its location; its content is identified by the checksum. */
    static String documentId(Path path) {
        return SourceFile.hash(path.toAbsolutePath().normalize().toString());
    }
}
