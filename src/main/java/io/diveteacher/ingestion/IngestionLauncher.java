package io.diveteacher.ingestion;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Starts an ingestion of some sources, or resumes the last one of the same sources when it did not
 * complete: a failed, stopped or killed run continues where it stopped rather than starting over.
 */
@Component
public class IngestionLauncher {

    private static final Logger log = LoggerFactory.getLogger(IngestionLauncher.class);
    private static final int RECENT_INSTANCES = 50;

    private final JobOperator jobOperator;
    private final JobRepository jobRepository;
    private final Job ingestionJob;
    private final boolean exclusiveRepository;

    IngestionLauncher(JobOperator jobOperator, JobRepository jobRepository, Job ingestionJob,
            @Value("${spring.datasource.url:}") String datasourceUrl) {
        this.jobOperator = jobOperator;
        this.jobRepository = jobRepository;
        this.ingestionJob = ingestionJob;
        // An H2 file database is locked by the one process that has it open: a run still marked STARTED
        // in it belongs to a process that died (kill -9, power loss), never to a live one.
        this.exclusiveRepository = datasourceUrl.startsWith("jdbc:h2:");
    }

    /** Runs the ingestion of these folders or files to its end (synchronously) and returns the execution. */
    public JobExecution ingest(List<String> paths) throws Exception {
        return ingest(paths, false);
    }

    /**
     * As {@link #ingest(List)}; {@code recover} declares that a run of the same sources still marked as
     * running belongs to a process that is gone (needed with a shared job repository such as PostgreSQL,
     * where this cannot be known).
     */
    public JobExecution ingest(List<String> paths, boolean recover) throws Exception {
        String sources = IngestionSources.parameter(paths);
        JobExecution unfinished = lastUnfinished(sources);
        if (unfinished != null) {
            if (unfinished.getStatus().isRunning()) {
                if (!exclusiveRepository && !recover) {
                    throw new IllegalStateException("an ingestion of the same sources is already running (execution "
                            + unfinished.getId() + "); if the process that ran it is gone, run again with --recover");
                }
                log.warn("Execution {} was left running by a process that ended; recovering it", unfinished.getId());
                unfinished = jobOperator.recover(unfinished);
            }
            log.info("Resuming ingestion execution {} ({}) where it stopped", unfinished.getId(), unfinished.getStatus());
            return jobOperator.restart(unfinished);
        }
        JobParameters parameters = new JobParametersBuilder()
                .addString(IngestionSources.PARAMETER, sources)
                .addLong("run.id", System.currentTimeMillis())
                .toJobParameters();
        return jobOperator.start(ingestionJob, parameters);
    }

    private JobExecution lastUnfinished(String sources) {
        List<JobInstance> instances = jobRepository.getJobInstances(IngestionJobConfiguration.JOB, 0, RECENT_INSTANCES);
        for (JobInstance instance : instances) {
            JobExecution last = jobRepository.getLastJobExecution(instance);
            if (last == null || !sources.equals(last.getJobParameters().getString(IngestionSources.PARAMETER))) {
                continue;
            }
            BatchStatus status = last.getStatus();
            boolean resumable = status == BatchStatus.FAILED || status == BatchStatus.STOPPED || status.isRunning();
            return resumable ? last : null;
        }
        return null;
    }
}
