package io.diveteacher.ingestion;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.dao.EmptyResultDataAccessException;
import org.springframework.stereotype.Component;

import io.diveteacher.inference.ModelRuntime;
import io.diveteacher.inference.ModelSelection;

/**
 * Starts the {@code reembed} job for the embedding model in use, or resumes its last run when that one failed or was
 * stopped with the same model; and tells how a run is going.
 */
@Component
class ReembedLauncher {

    private static final Logger log = LoggerFactory.getLogger(ReembedLauncher.class);

    private final IngestionLauncher launcher;
    private final JobRepository repository;
    private final Job reembedJob;
    private final ModelRuntime models;

    ReembedLauncher(IngestionLauncher launcher, JobRepository repository, Job reembedJob, ModelRuntime models) {
        this.launcher = launcher;
        this.repository = repository;
        this.reembedJob = reembedJob;
        this.models = models;
    }

    /**
     * @param all every chunk, not only those the model has not embedded yet
     * @param inBackground return at once (the API) rather than when the job has ended (the command line)
     */
    synchronized JobExecution start(boolean all, boolean inBackground) throws Exception {
        ModelSelection selection = models.awaitSelection(Duration.ofHours(2));
        JobParameters parameters = new JobParametersBuilder()
                .addString(ReembedJobConfiguration.MODEL, selection.embeddingModel())
                .addLong(ReembedJobConfiguration.DIMENSIONS, (long) selection.dimensions())
                .addString(ReembedJobConfiguration.ALL, String.valueOf(all))
                .addLong("run.id", System.currentTimeMillis())
                .toJobParameters();
        JobExecution last = lastRun();
        if (last != null && last.getStatus().isRunning() && launcher.running(last.getId()).isPresent()) {
            throw new IngestionLauncher.AlreadyRunningException(last.getId());
        }
        var operator = launcher.operator(inBackground);
        JobExecution execution;
        if (last != null && (last.getStatus() == BatchStatus.FAILED || last.getStatus() == BatchStatus.STOPPED)
                && sameRun(last.getJobParameters(), parameters)) {
            log.info("Resuming reembed execution {} ({}) where it stopped", last.getId(), last.getStatus());
            execution = operator.restart(last);
        } else {
            execution = operator.start(reembedJob, parameters);
        }
        return inBackground ? launcher.track(execution) : execution;
    }

    private static boolean sameRun(JobParameters earlier, JobParameters now) {
        return List.of(ReembedJobConfiguration.MODEL, ReembedJobConfiguration.ALL).stream()
                .allMatch(name -> String.valueOf(earlier.getString(name)).equals(now.getString(name)))
                && now.getLong(ReembedJobConfiguration.DIMENSIONS).equals(earlier.getLong(ReembedJobConfiguration.DIMENSIONS));
    }

    private JobExecution lastRun() {
        List<JobInstance> instances = repository.getJobInstances(ReembedJobConfiguration.JOB, 0, 1);
        return instances.isEmpty() ? null : repository.getLastJobExecution(instances.getFirst());
    }

    /** A run of the job as the admin API and the command show it. */
    Optional<ReembedView> find(long executionId) {
        Optional<JobExecution> execution = launcher.running(executionId).or(() -> {
            try {
                return Optional.ofNullable(repository.getJobExecution(executionId));
            } catch (EmptyResultDataAccessException e) {
                return Optional.empty();
            }
        });
        return execution.filter(e -> e.getJobInstance().getJobName().equals(ReembedJobConfiguration.JOB))
                .map(ReembedLauncher::view);
    }

    static ReembedView view(JobExecution execution) {
        long total = 0;
        long done = 0;
        StepExecution newest = null;
        for (StepExecution step : execution.getStepExecutions()) {
            if (step.getStepName().equals("reembedChunks")) {
                newest = step;
            }
        }
        if (newest != null) {
            total = newest.getExecutionContext().getLong(ReembedReader.TOTAL, 0);
            // Saved at every commit (and carried over by a restart): the chunks written so far.
            done = newest.getExecutionContext().getLong(ReembedReader.READ, 0);
        }
        var context = execution.getExecutionContext();
        var parameters = execution.getJobParameters();
        return new ReembedView(execution.getId(), execution.getStatus().name(),
                parameters.getString(ReembedJobConfiguration.MODEL),
                parameters.getLong(ReembedJobConfiguration.DIMENSIONS).intValue(),
                context.containsKey(ReembedJobConfiguration.PREVIOUS_DIMENSIONS)
                        ? context.getInt(ReembedJobConfiguration.PREVIOUS_DIMENSIONS) : null,
                total, execution.getStatus() == BatchStatus.COMPLETED ? total : done,
                context.containsKey(ReembedJobConfiguration.DOCUMENTS) ? context.getLong(ReembedJobConfiguration.DOCUMENTS)
                        : null,
                IngestionJobs.time(execution.getStartTime()), IngestionJobs.time(execution.getEndTime()), IngestionJobs.errors(execution));
    }

    /**
     * A reembed run: {@code previousDimensions} the size of the vector index before it (0: there was none; null
     * until known); {@code documentsMarked} documents now counted as embedded by the model (null until it ends).
     */
    record ReembedView(long executionId, String status, String model, int dimensions, Integer previousDimensions,
            long chunksTotal, long chunksDone, Long documentsMarked, OffsetDateTime startTime, OffsetDateTime endTime,
            List<String> errors) {
    }
}
