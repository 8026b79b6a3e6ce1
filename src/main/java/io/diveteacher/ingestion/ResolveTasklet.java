package io.diveteacher.ingestion;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import io.diveteacher.graph.DocumentCatalog;
import io.diveteacher.graph.DocumentOutcome;
import io.diveteacher.graph.EntityResolution;
import io.diveteacher.graph.StoredDocument;

/**
 * Step 3: settles each document's final status from its partition's last step execution (a process killed
 * right after a partition completed never reported it), then resolves entities. When discovery found
 * nothing to ingest the graph is unchanged and there is nothing to do.
 */
class ResolveTasklet implements Tasklet {

    private static final Logger log = LoggerFactory.getLogger(ResolveTasklet.class);

    private final JobRepository jobRepository;
    private final DocumentCatalog catalog;
    private final EntityResolution resolution;
    private final EntityMatcher matcher;

    ResolveTasklet(JobRepository jobRepository, DocumentCatalog catalog, EntityResolution resolution,
            EntityMatcher matcher) {
        this.jobRepository = jobRepository;
        this.catalog = catalog;
        this.resolution = resolution;
        this.matcher = matcher;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) {
        var jobExecution = chunkContext.getStepContext().getStepExecution().getJobExecution();
        List<String> ids = Discovery.of(jobExecution.getExecutionContext()).pending();
        if (ids.isEmpty()) {
            log.info("Nothing was ingested: the graph is unchanged");
            return RepeatStatus.FINISHED;
        }
        for (String id : ids) {
            StepExecution partition = jobRepository.getLastStepExecution(jobExecution.getJobInstance(),
                    DocumentPartition.stepName(id));
            if (partition != null && partition.getStatus() == BatchStatus.COMPLETED) {
                DocumentOutcome outcome = DocumentStepListener.outcome(partition);
                // Counting a large document's chunks and entities again costs more than reading its status: only a
                // document whose partition did not report (its process ended first) is settled here.
                if (catalog.find(id).map(StoredDocument::status).orElse(null) != outcome.status()) {
                    catalog.markFinished(id, outcome);
                }
            }
        }
        var result = resolution.resolve();
        var matched = matcher.match();
        if (matched.merged() > 0) {
            resolution.resolve(); // the merged entities' names, descriptions and weights
        }
        log.info("Resolved entities: {} merged with a namesake of another type, {} with a spelling of theirs, {} "
                + "SAME_AS link(s), {} orphan(s) removed", result.merged(), matched.merged(), matched.linked(),
                result.orphansRemoved());
        return RepeatStatus.FINISHED;
    }
}
