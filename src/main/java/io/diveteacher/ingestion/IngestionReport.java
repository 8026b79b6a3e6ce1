package io.diveteacher.ingestion;

import java.util.ArrayList;
import java.util.List;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.stereotype.Component;

import io.diveteacher.graph.DocumentCatalog;
import io.diveteacher.graph.DocumentStatus;
import io.diveteacher.graph.GraphQueries;
import io.diveteacher.graph.StoredDocument;
import io.diveteacher.inference.ModelSelection;

/** Builds the summary of a finished ingestion from the job's context and the documents in the graph. */
@Component
class IngestionReport {

    private final DocumentCatalog catalog;
    private final GraphQueries queries;

    IngestionReport(DocumentCatalog catalog, GraphQueries queries) {
        this.catalog = catalog;
        this.queries = queries;
    }

    IngestionSummary summarize(JobExecution execution, ModelSelection models, long modelCalls, long elapsedMs) {
        Discovery discovery = Discovery.of(execution.getExecutionContext());
        List<String> ids = discovery.documents();
        List<String> skippedIds = discovery.skipped();
        List<IngestionSummary.DocumentResult> documents = new ArrayList<>();
        int ingested = 0, partial = 0, skipped = 0, failed = 0, noText = 0;
        long chunks = 0, skippedChunks = 0, partialChunks = 0;
        for (String id : ids) {
            StoredDocument d = catalog.find(id).orElse(null);
            if (d == null) {
                continue;
            }
            boolean unchanged = skippedIds.contains(id);
            DocumentStatus status = unchanged ? DocumentStatus.SKIPPED : d.status();
            switch (status) {
                case INGESTED -> ingested++;
                case PARTIAL -> partial++;
                case SKIPPED -> skipped++;
                case NO_TEXT -> noText++;
                case null, default -> failed++;
            }
            chunks += d.chunks();
            // An unchanged document did nothing in this run: its chunk counts are of an earlier one.
            long skippedOfDocument = unchanged ? 0 : d.skippedChunks();
            long partialOfDocument = unchanged ? 0 : d.partialChunks();
            skippedChunks += skippedOfDocument;
            partialChunks += partialOfDocument;
            documents.add(new IngestionSummary.DocumentResult(d.name(), d.path(), status,
                    unchanged ? "unchanged since the last ingestion" : d.reason(), d.pages(), d.chunks(),
                    d.entities(), skippedOfDocument, partialOfDocument));
        }
        ExtractionCounts counts = ExtractionCounts.of(execution);
        var totals = new IngestionSummary.Totals(documents.size(), ingested, partial, skipped, failed, noText, chunks,
                skippedChunks, partialChunks, ids.isEmpty() ? 0 : queries.entitiesOf(ids),
                ids.isEmpty() ? 0 : queries.relationshipsOf(ids), counts.cached(), counts.extracted(), modelCalls,
                counts.slotEfficiencyOrNull());
        List<String> errors = IngestionJobs.errors(execution);
        return new IngestionSummary(execution.getStatus().name(), execution.getId(), documents, totals,
                new IngestionSummary.Models(models.embeddingModel(), models.chatModel(), models.fallback(),
                        models.reason()),
                elapsedMs, errors);
    }
}
