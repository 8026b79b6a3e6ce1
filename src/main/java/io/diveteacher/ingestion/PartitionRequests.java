package io.diveteacher.ingestion;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.support.AmqpHeaders;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.batch.integration.partition.StepExecutionRequestHandler;
import org.springframework.dao.DataAccessException;
import org.springframework.messaging.Message;

/**
 * A worker's handling of one partition request from the broker: Spring Batch's {@link StepExecutionRequestHandler}
 * runs the document's step, after checks it does not make. A request for anything but a document step, for a step
 * execution that is unknown or already finished, or for one of an execution that has ended (a restart sends its own
 * requests) is logged and dropped, so a stray or repeated message never runs a document twice. A request delivered
 * again because the worker that had it died finds its step execution STARTED: the step resumes from its last commit,
 * in the same step execution (the document shows up once in the job's history, with both workers).
 * <p>
 * The broker cannot tell a dead worker from one cut off from it: either way it redelivers the request, and the worker
 * it was cut off from may still be committing chunks to the shared repository. So a worker given a STARTED partition
 * first watches it: while its step execution keeps being updated someone runs it, and the request is dropped when that
 * one finishes it; only a step left without a commit for the lease is taken over. The lease is timed on this worker's
 * clock, from the last change it saw, so the machines' clocks need not agree.
 */
class PartitionRequests {

    /** The worker running the partition now (or last), in the step's context: the admin API shows it. */
    static final String WORKER = "partition.worker";
    /** Every worker that ran the partition, in order, comma-separated. */
    static final String WORKERS = "partition.workers";
    private static final Logger log = LoggerFactory.getLogger(PartitionRequests.class);

    private final JobRepository repository;
    private final StepExecutionRequestHandler handler;
    private final String worker;
    private final ExtractionQueue extractions;
    private final Duration lease;
    private final Duration pollInterval;
    private final Map<Long, AtomicInteger> runningByJob = new ConcurrentHashMap<>();

    PartitionRequests(JobRepository repository, StepExecutionRequestHandler handler, String worker,
            ExtractionQueue extractions, Duration lease, Duration pollInterval) {
        this.repository = repository;
        this.handler = handler;
        this.worker = worker;
        this.extractions = extractions;
        this.lease = lease;
        this.pollInterval = pollInterval;
        log.info("Worker {} waiting for partitions", worker);
    }

    /** This worker's name: the configured one, else host name and process id. */
    static String workerName(IngestionProperties.Remote remote) {
        if (remote.workerName() != null && !remote.workerName().isBlank()) {
            return remote.workerName().strip();
        }
        String host = System.getenv("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                host = "worker";
            }
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    void handle(Message<?> message) {
        Object payload = message.getPayload();
        if (!(payload instanceof StepExecutionRequest request)) {
            log.warn("Dropped a message that is not a partition request ({})", payload.getClass().getName());
            return;
        }
        if (!DocumentPartition.WORKER_STEP.equals(request.getStepName())) {
            log.warn("Dropped a request for step '{}': workers run only {}", request.getStepName(),
                    DocumentPartition.WORKER_STEP);
            return;
        }
        StepExecution step = stepExecution(request.getStepExecutionId());
        if (step == null || !step.getStepName().startsWith(DocumentPartition.WORKER_STEP + ":")) {
            log.warn("Dropped a request for step execution {}: no document partition has that id",
                    request.getStepExecutionId());
            return;
        }
        String partition = step.getStepName().substring(DocumentPartition.WORKER_STEP.length() + 1);
        if (step.getStatus() == BatchStatus.STARTED) {
            step = afterLastCommits(step, partition);
            if (step == null) {
                return;
            }
        }
        BatchStatus job = step.getJobExecution().getStatus();
        if (!step.getStatus().isRunning()) {
            log.info("Dropped the request for {} (step execution {}): already {}", partition, step.getId(),
                    step.getStatus());
            return;
        }
        if (!job.isRunning()) {
            // The partition will not run in this execution: settle it, so that the manager, which waits for every
            // partition to end, sees it ended (a restart runs it in a new execution).
            step.setStatus(BatchStatus.STOPPED);
            step.setExitStatus(org.springframework.batch.core.ExitStatus.STOPPED);
            step.setEndTime(java.time.LocalDateTime.now());
            repository.update(step);
            log.info("Dropped the request for {} (step execution {}): its execution {} is {}; the partition is STOPPED",
                    partition, step.getId(), step.getJobExecutionId(), job);
            return;
        }
        boolean resumed = step.getStatus() == BatchStatus.STARTED;
        String before = step.getExecutionContext().getString(WORKERS, "");
        step.getExecutionContext().putString(WORKER, worker);
        step.getExecutionContext().putString(WORKERS, before.isEmpty() ? worker : before + ", " + worker);
        repository.updateExecutionContext(step);
        String name = DocumentPartition.nameIn(step.getExecutionContext(), partition);
        if (resumed) {
            log.info("Worker {} resumes {} ({}, step execution {} of execution {}) after chunk {}: {} did not finish it{}",
                    worker, name, partition, step.getId(), step.getJobExecutionId(),
                    step.getExecutionContext().getInt(DocumentChunkReader.READ, 0), before,
                    Boolean.TRUE.equals(message.getHeaders().get(AmqpHeaders.REDELIVERED)) ? " (redelivered)" : "");
        } else {
            log.info("Worker {} runs {} ({}, step execution {} of execution {})", worker, name, partition, step.getId(),
                    step.getJobExecutionId());
        }
        runningByJob.computeIfAbsent(step.getJobExecutionId(), id -> new AtomicInteger()).incrementAndGet();
        StepExecution result;
        try {
            result = handler.handle(request);
        } finally {
            report(step.getJobExecutionId());
        }
        StepExecution stored = stepExecution(result.getId());
        if (stored != null && stored.getStatus().isRunning() && !result.getStatus().isRunning()) {
            // The handler leaves what it caught for the caller to store (a step that threw past its own handling).
            repository.update(result);
        }
        log.info("Worker {} finished {}: {} ({} chunks written, {} skipped)", worker, name, result.getStatus(),
                result.getWriteCount(), result.getProcessSkipCount());
    }

    /**
     * Waits while another worker keeps committing the partition: returns the step as last read once it has gone
     * {@code lease} without an update (its worker is gone: resume it), or null when it stopped running meanwhile
     * (its worker finished it: drop the request).
     */
    private StepExecution afterLastCommits(StepExecution step, String partition) {
        String other = step.getExecutionContext().getString(WORKER, "another worker");
        String name = DocumentPartition.nameIn(step.getExecutionContext(), partition);
        log.info("Worker {} waits for {} to commit {} ({}, step execution {}); it takes the document over after {} "
                + "without a commit", worker, other, name, partition, step.getId(), lease);
        LocalDateTime seen = step.getLastUpdated();
        long since = System.nanoTime();
        try {
            while (System.nanoTime() - since < lease.toNanos()) {
                Thread.sleep(pollInterval);
                StepExecution now = stepExecution(step.getId());
                if (now == null) {
                    return null;
                }
                if (!now.getStatus().isRunning()) {
                    log.info("Dropped the request for {} ({}): {} finished it meanwhile ({})", name, partition, other,
                            now.getStatus());
                    return null;
                }
                step = now;
                if (!Objects.equals(seen, now.getLastUpdated())) {
                    seen = now.getLastUpdated();
                    since = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            // Not acknowledged: the broker gives the request to another worker.
            throw new IllegalStateException("Interrupted while waiting for " + other + " to commit " + name, e);
        }
        return step;
    }

    /** Logs (and exports, when this worker has no other partition of the job) how busy the slots were. */
    private void report(long jobExecutionId) {
        AtomicInteger running = runningByJob.get(jobExecutionId);
        boolean last = running == null || running.decrementAndGet() <= 0;
        if (last) {
            runningByJob.remove(jobExecutionId);
        }
        ExtractionQueue.SlotUsage usage = extractions.usage(jobExecutionId, last);
        if (usage.span() > 0) {
            log.info("Worker {}: slots busy {} for execution {} ({} slots)", worker,
                    SlotUsageListener.percent(usage.efficiency()), jobExecutionId, usage.slots());
        }
    }

    private StepExecution stepExecution(long id) {
        try {
            return repository.getStepExecution(id);
        } catch (DataAccessException e) {
            return null; // Spring Batch 6's JDBC repository throws for an unknown id where its contract says null
        }
    }
}
