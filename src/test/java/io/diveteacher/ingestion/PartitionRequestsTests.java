package io.diveteacher.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.LocalDateTime;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.integration.partition.StepExecutionRequest;
import org.springframework.batch.integration.partition.StepExecutionRequestHandler;
import org.springframework.messaging.support.MessageBuilder;


class PartitionRequestsTests {

    private static final String STEP = DocumentPartition.stepName("doc-1");

    private final JobRepository repository = mock(JobRepository.class);
    private final StepExecutionRequestHandler handler = mock(StepExecutionRequestHandler.class);
    private final ExtractionQueue extractions = mock(ExtractionQueue.class);
    private final PartitionRequests requests = new PartitionRequests(repository, handler, "worker-b", extractions,
            Duration.ofMillis(300), Duration.ofMillis(20));

    private StepExecution stored(BatchStatus job, BatchStatus step) {
        JobExecution execution = new JobExecution(7, new JobInstance(3, IngestionJobConfiguration.JOB), new JobParameters());
        execution.setStatus(job);
        StepExecution stepExecution = new StepExecution(11, STEP, execution);
        stepExecution.setStatus(step);
        stepExecution.getExecutionContext().putString("name", "manual.pdf");
        when(repository.getStepExecution(11L)).thenReturn(stepExecution);
        when(extractions.usage(7L, true)).thenReturn(new ExtractionQueue.SlotUsage(0, 0, 2));
        when(extractions.usage(7L, false)).thenReturn(new ExtractionQueue.SlotUsage(0, 0, 2));
        return stepExecution;
    }

    private void deliver(Object payload) {
        requests.handle(MessageBuilder.withPayload(payload).build());
    }

    @Test
    void aPendingDocumentPartitionRunsWithTheWorkerRecordedInItsContext() {
        StepExecution step = stored(BatchStatus.STARTED, BatchStatus.STARTING);
        StepExecution done = new StepExecution(11, STEP, step.getJobExecution());
        done.setStatus(BatchStatus.COMPLETED);
        when(handler.handle(any())).thenReturn(done);

        deliver(new StepExecutionRequest(DocumentPartition.WORKER_STEP, 11));

        verify(handler).handle(any());
        verify(repository).updateExecutionContext(step);
        assertThat(step.getExecutionContext().getString(PartitionRequests.WORKER)).isEqualTo("worker-b");
        assertThat(step.getExecutionContext().getString(PartitionRequests.WORKERS)).isEqualTo("worker-b");
    }

    @Test
    void aPartitionAnotherWorkerBeganIsResumedInTheSameStepExecutionWithBothWorkersRecorded() {
        StepExecution step = stored(BatchStatus.STARTED, BatchStatus.STARTED);
        step.getExecutionContext().putString(PartitionRequests.WORKER, "worker-a");
        step.getExecutionContext().putString(PartitionRequests.WORKERS, "worker-a");
        when(handler.handle(any())).thenReturn(step);

        deliver(new StepExecutionRequest(DocumentPartition.WORKER_STEP, 11));

        verify(handler).handle(any());
        assertThat(step.getExecutionContext().getString(PartitionRequests.WORKERS)).isEqualTo("worker-a, worker-b");
    }

    @Test
    void aPartitionAnotherWorkerIsStillCommittingIsLeftToItAndTheRequestDroppedWhenItFinishes() {
        StepExecution step = stored(BatchStatus.STARTED, BatchStatus.STARTED);
        step.getExecutionContext().putString(PartitionRequests.WORKER, "worker-a");
        // worker-a, cut off from the broker but not from the repository, commits every 100 ms (well within the
        // 300 ms lease) for 15 reads, 600 ms in all, twice the lease; then the step is COMPLETED.
        AtomicInteger reads = new AtomicInteger();
        LocalDateTime start = LocalDateTime.of(2026, 12, 2, 12, 0);
        when(repository.getStepExecution(11L)).thenAnswer(call -> {
            int read = reads.incrementAndGet();
            StepExecution now = new StepExecution(11, STEP, step.getJobExecution());
            now.setExecutionContext(step.getExecutionContext());
            now.setStatus(read > 30 ? BatchStatus.COMPLETED : BatchStatus.STARTED);
            now.setLastUpdated(start.plusSeconds(read / 5));
            return now;
        });

        deliver(new StepExecutionRequest(DocumentPartition.WORKER_STEP, 11));

        verify(handler, never()).handle(any());
        verify(repository, never()).updateExecutionContext(any(StepExecution.class));
        assertThat(reads.get()).isGreaterThan(30);
    }

    @Test
    void aPartitionLeftWithoutACommitForTheLeaseIsTakenOver() {
        StepExecution step = stored(BatchStatus.STARTED, BatchStatus.STARTED);
        step.getExecutionContext().putString(PartitionRequests.WORKER, "worker-a");
        step.getExecutionContext().putString(PartitionRequests.WORKERS, "worker-a");
        step.setLastUpdated(LocalDateTime.of(2026, 12, 2, 12, 0));
        when(handler.handle(any())).thenReturn(step);
        long before = System.nanoTime();

        deliver(new StepExecutionRequest(DocumentPartition.WORKER_STEP, 11));

        verify(handler).handle(any());
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(step.getExecutionContext().getString(PartitionRequests.WORKERS)).isEqualTo("worker-a, worker-b");
    }

    @Test
    void finishedPartitionsAndPartitionsOfEndedExecutionsAreDroppedNotRunAgain() {
        stored(BatchStatus.STARTED, BatchStatus.COMPLETED);
        deliver(new StepExecutionRequest(DocumentPartition.WORKER_STEP, 11));
        stored(BatchStatus.FAILED, BatchStatus.STARTING);
        deliver(new StepExecutionRequest(DocumentPartition.WORKER_STEP, 11));

        verify(handler, never()).handle(any());
    }

    @Test
    void aPartitionOfAnEndedExecutionIsSettledAsStoppedSoThatItsManagerStopsWaiting() {
        StepExecution step = stored(BatchStatus.STOPPED, BatchStatus.STARTING);

        deliver(new StepExecutionRequest(DocumentPartition.WORKER_STEP, 11));

        verify(handler, never()).handle(any());
        verify(repository).update(step);
        assertThat(step.getStatus()).isEqualTo(BatchStatus.STOPPED);
        assertThat(step.getEndTime()).isNotNull();
    }

    @Test
    void requestsForOtherStepsUnknownIdsOrOtherPayloadsAreDropped() {
        stored(BatchStatus.STARTED, BatchStatus.STARTING);
        deliver(new StepExecutionRequest("resolve", 11));
        deliver(new StepExecutionRequest(DocumentPartition.WORKER_STEP, 99));
        deliver("a text message");

        verify(handler, never()).handle(any());
    }

    @Test
    void theWorkerIsNamedAsConfiguredOrAfterItsHostAndProcess() {
        var named = new IngestionProperties.Remote("q", java.time.Duration.ofSeconds(1), " gpu-2 ", java.time.Duration.ofHours(1), java.time.Duration.ofMinutes(2));
        var unnamed = new IngestionProperties.Remote("q", java.time.Duration.ofSeconds(1), null, java.time.Duration.ofHours(1), java.time.Duration.ofMinutes(2));

        assertThat(PartitionRequests.workerName(named)).isEqualTo("gpu-2");
        assertThat(PartitionRequests.workerName(unnamed)).endsWith("-" + ProcessHandle.current().pid());
    }
}
