package io.diveteacher.ingestion;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.launch.support.JobOperatorFactoryBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;

import io.micrometer.observation.ObservationRegistry;
import org.springframework.context.ApplicationContext;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;
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
    private final JobOperator background;
    private final JobRepository jobRepository;
    private final Job ingestionJob;
    private final boolean exclusiveRepository;
    // Remote partitions are updated by the workers in the job repository, not in this process's execution object.
    private final boolean remote;
    // Executions running in the background in this process, as the job itself updates them: progress is read
    // from these without a trip to the job repository while they run.
    private final LiveExecutions running;

    IngestionLauncher(JobOperator jobOperator, JobRepository jobRepository, Job ingestionJob,
            PlatformTransactionManager transactionManager, ApplicationContext context,
            ObjectProvider<ObservationRegistry> observations, SimpleAsyncTaskExecutor ingestionJobExecutor,
            @Value("${spring.datasource.url:}") String datasourceUrl, IngestionProperties properties,
            LiveExecutions running) throws Exception {
        this.jobOperator = jobOperator;
        this.running = running;
        this.jobRepository = jobRepository;
        this.ingestionJob = ingestionJob;
        // The command line runs a job to its end; the API and the scheduler need it to run in the background and
        // return at once with its execution: a second operator on the same repository, with an asynchronous executor.
        JobOperatorFactoryBean factory = new JobOperatorFactoryBean();
        factory.setApplicationContext(context);
        factory.setJobRepository(jobRepository);
        factory.setTransactionManager(transactionManager);
        factory.setTaskExecutor(ingestionJobExecutor);
        observations.ifAvailable(factory::setObservationRegistry); // job and step metrics, as for the other operator
        factory.afterPropertiesSet();
        this.background = factory.getObject();
        // An H2 file database is locked by the one process that has it open: a run still marked STARTED
        // in it belongs to a process that died (kill -9, power loss), never to a live one.
        this.exclusiveRepository = datasourceUrl.startsWith("jdbc:h2:");
        this.remote = properties.mode() == IngestionProperties.Mode.REMOTE;
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
        return ingest(paths, recover, false);
    }

    /** As {@link #ingest(List, boolean)}; {@code noCache} sends every chunk to the model, cached or not. */
    public JobExecution ingest(List<String> paths, boolean recover, boolean noCache) throws Exception {
        IngestionRequest request = IngestionRequest.ofPaths(paths, Duration.ZERO).withNoCache(noCache);
        JobExecution unfinished = lastUnfinished(request);
        if (unfinished != null && unfinished.getStatus().isRunning()) {
            if (!exclusiveRepository && !recover) {
                throw new IllegalStateException("an ingestion of the same sources is already running (execution "
                        + unfinished.getId() + "); if the process that ran it is gone, run again with --recover");
            }
            unfinished = recover(unfinished);
        }
        return launch(request, unfinished, jobOperator);
    }

    /**
     * Starts an ingestion in the background and returns its execution at once (STARTING or STARTED). A
     * failed or stopped run of the same request is resumed; one still running is an {@link AlreadyRunningException}.
     */
    public synchronized JobExecution start(IngestionRequest request) throws Exception {
        JobExecution unfinished = lastUnfinished(request);
        if (unfinished != null && unfinished.getStatus().isRunning()) {
            throw new AlreadyRunningException(unfinished.getId());
        }
        return track(launch(request, unfinished, background));
    }

    /** Resumes the unfinished run of the request where it stopped, or starts a new one. */
    private JobExecution launch(IngestionRequest request, JobExecution unfinished, JobOperator operator) throws Exception {
        if (unfinished != null) {
            log.info("Resuming ingestion execution {} ({}) of {} where it stopped", unfinished.getId(),
                    unfinished.getStatus(), request.describe());
            return operator.restart(settleLeftoverSteps(unfinished));
        }
        return operator.start(ingestionJob, request.parameters());
    }

    /** The operator that runs a job to its end (the command line's), or the one that runs it in the background. */
    JobOperator operator(boolean inBackground) {
        return inBackground ? background : jobOperator;
    }

    /** Keeps the live execution of a job started in the background, for {@link #running(long)}. */
    JobExecution track(JobExecution execution) {
        return running.track(execution);
    }

    /** The live execution object of a job this process runs in the background, until its job thread is done. */
    Optional<JobExecution> running(long executionId) {
        if (remote) {
            return Optional.empty();
        }
        return running.get(executionId);
    }

    /** This process runs the execution in the background (it is not a leftover of a process that died). */
    boolean runsHere(long executionId) {
        return running.get(executionId).isPresent();
    }

    /**
     * The execution as the job repository holds it: in remote mode the workers' partitions are there, not in the
     * object this process ran the job with.
     */
    JobExecution reread(JobExecution execution) {
        return remote ? jobRepository.getJobExecution(execution.getId()) : execution;
    }

    /**
     * Marks an execution left running by a process that is gone (a manager killed, a machine lost) as FAILED, so that
     * it can be restarted; a worker still running one of its partitions stops at its next commit.
     */
    JobExecution recover(JobExecution execution) {
        log.warn("Execution {} was left running by a process that ended; recovering it", execution.getId());
        return jobOperator.recover(execution);
    }

    /** Restarts a stopped or failed execution in the background. */
    public JobExecution restart(JobExecution execution) throws Exception {
        return track(background.restart(settleLeftoverSteps(execution)));
    }

    /**
     * A stopped partitioned job leaves the partitions that had not begun yet as STARTING (Spring Batch creates
     * them all up front), and Spring Batch then refuses a restart as "already running". An execution that has
     * ended has no running step: those are marked STOPPED, so the restart runs them.
     */
    private JobExecution settleLeftoverSteps(JobExecution execution) {
        if (execution.getStatus().isRunning() || execution.getEndTime() == null) {
            return execution;
        }
        for (StepExecution step : execution.getStepExecutions()) {
            if (step.getStatus().isRunning()) {
                step.setStatus(BatchStatus.STOPPED);
                step.setExitStatus(ExitStatus.STOPPED);
                step.setEndTime(LocalDateTime.now());
                jobRepository.update(step);
            }
        }
        return execution;
    }

    /** Asks a running execution to stop once its current chunks are written. */
    public boolean stop(JobExecution execution) throws Exception {
        return background.stop(execution);
    }

    /** An execution of the same request is running. */
    public static final class AlreadyRunningException extends RuntimeException {
        private final long executionId;

        AlreadyRunningException(long executionId) {
            super("an ingestion of the same sources is already running: execution " + executionId);
            this.executionId = executionId;
        }

        public long executionId() {
            return executionId;
        }
    }

    /** The last run of the same request when it did not complete (failed, stopped, or still marked running). */
    private JobExecution lastUnfinished(IngestionRequest request) {
        List<JobInstance> instances = jobRepository.getJobInstances(IngestionJobConfiguration.JOB, 0, RECENT_INSTANCES);
        for (JobInstance instance : instances) {
            JobExecution last = jobRepository.getLastJobExecution(instance);
            if (last == null || !request.sameAs(last.getJobParameters())) {
                continue;
            }
            BatchStatus status = last.getStatus();
            boolean resumable = status == BatchStatus.FAILED || status == BatchStatus.STOPPED || status.isRunning();
            return resumable ? last : null;
        }
        return null;
    }
}
