package io.diveteacher.ingestion;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import io.diveteacher.document.SourceFile;
import io.diveteacher.graph.DocumentCatalog;
import io.diveteacher.graph.DocumentOutcome;
import io.diveteacher.graph.StoredDocument;
import io.diveteacher.inference.ModelSelection;

/**
 * Step 1: lists the PDFs of the sources, checksums them and registers their Document nodes. A document
 * already ingested with the same checksum and models is skipped; a changed one loses its old content and
 * is queued again. The queue goes to the job context for the partitioner.
 */
class DiscoverTasklet implements Tasklet {

    static final String PENDING = "pending";
    static final String SKIPPED = "skipped";
    static final String DOCUMENTS = "documents";

    private static final Logger log = LoggerFactory.getLogger(DiscoverTasklet.class);

    private final DocumentCatalog catalog;
    private final ModelSelection models;
    private final String sources;

    DiscoverTasklet(DocumentCatalog catalog, ModelSelection models, String sources) {
        this.catalog = catalog;
        this.models = models;
        this.sources = sources;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws IOException {
        ArrayList<String> all = new ArrayList<>();
        ArrayList<String> pending = new ArrayList<>();
        ArrayList<String> skipped = new ArrayList<>();
        List<Path> files = IngestionSources.files(sources);
        for (Path path : files) {
            String id = documentId(path);
            all.add(id);
            SourceFile file;
            try {
                file = SourceFile.read(path);
            } catch (IOException e) {
                catalog.register(id, path.toString(), path.getFileName().toString(), "", 0, models.embeddingModel(),
                        models.extractionModel());
                catalog.markFinished(id, new DocumentOutcome("FAILED", "cannot read the file: " + e.getMessage(), null,
                        null, null, 0));
                continue;
            }
            StoredDocument existing = catalog.find(id).orElse(null);
            if (existing != null && existing.upToDate(file.checksum(), models.embeddingModel(), models.extractionModel())) {
                skipped.add(id);
                continue;
            }
            if (existing != null) {
                catalog.removeContent(id);
            }
            catalog.register(id, file.path().toString(), file.name(), file.checksum(), file.size(),
                    models.embeddingModel(), models.extractionModel());
            pending.add(id);
        }
        var jobContext = chunkContext.getStepContext().getStepExecution().getJobExecution().getExecutionContext();
        jobContext.put(DOCUMENTS, all);
        jobContext.put(PENDING, pending);
        jobContext.put(SKIPPED, skipped);
        contribution.incrementReadCount();
        log.info("Discovered {} PDF(s): {} to ingest, {} unchanged", all.size(), pending.size(), skipped.size());
        return RepeatStatus.FINISHED;
    }

    /** A document is identified by its location; its content is identified by the checksum. */
    static String documentId(Path path) {
        return SourceFile.hash(path.toAbsolutePath().normalize().toString());
    }
}
