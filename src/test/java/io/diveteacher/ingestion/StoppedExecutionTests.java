package io.diveteacher.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.StepExecution;

/**
 * A stopped execution as Spring Batch 6 leaves it: its end time set at once, its documents still finishing a chunk.
 */
class StoppedExecutionTests {

    private static JobExecution execution(long id, BatchStatus status) {
        JobExecution execution = new JobExecution(id, new JobInstance(3, IngestionJobConfiguration.JOB), new JobParameters());
        execution.setStatus(status);
        return execution;
    }

    @Test
    void aDocumentOfAnEndedExecutionStopsAsStoppedNotAsCompleted() {
        for (BatchStatus ended : new BatchStatus[] {BatchStatus.STOPPED, BatchStatus.FAILED, BatchStatus.ABANDONED}) {
            StepExecution step = new StepExecution(11, "ingestDocument:document:x", execution(7, ended));

            assertThatThrownBy(() -> new EndedJobInterruption().checkInterrupted(step))
                    .isInstanceOf(JobInterruptedException.class).hasMessageContaining(ended.name());
            // Spring Batch 6's chunk-oriented step ends COMPLETED on the exception alone (and a restart skips the
            // document); terminate-only makes it end STOPPED.
            assertThat(step.isTerminateOnly()).as(ended.name()).isTrue();
        }
    }

    @Test
    void aDocumentOfARunningExecutionGoesOn() {
        StepExecution step = new StepExecution(11, "ingestDocument:document:x", execution(7, BatchStatus.STARTED));

        assertThatNoException().isThrownBy(() -> new EndedJobInterruption().checkInterrupted(step));
        assertThat(step.isTerminateOnly()).isFalse();
    }

    @Test
    void anExecutionIsLiveUntilItsJobThreadIsDoneNotUntilItHasAnEndTime() {
        LiveExecutions live = new LiveExecutions();
        JobExecution execution = live.track(execution(7, BatchStatus.STARTED));
        // What a stop does in Spring Batch 6, while the job thread still waits for its partitions.
        execution.setStatus(BatchStatus.STOPPED);
        execution.setEndTime(java.time.LocalDateTime.now());

        assertThat(live.get(7)).contains(execution);

        live.afterJob(execution);
        assertThat(live.get(7)).isEmpty();
    }

    @Test
    void aJobThatEndsBeforeItIsTrackedIsNotLive() {
        LiveExecutions live = new LiveExecutions();
        JobExecution execution = execution(8, BatchStatus.COMPLETED);
        live.afterJob(execution);

        live.track(execution);

        assertThat(live.get(8)).isEmpty();
    }
}
