package io.diveteacher.ingestion;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobInterruptedException;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.ThreadStepInterruptionPolicy;

/**
 * Stops a document's step at its next commit when its job execution has ended elsewhere: a worker still running a
 * partition of an execution that was recovered as FAILED (its manager died, and a restart now runs the document in a
 * new execution) must not keep writing beside the restart. The job's status is the one the repository held at the
 * step's last update (Spring Batch reads it on every commit), so this costs no query. A stop from the admin API
 * (STOPPING) is Spring Batch's own interruption, handled by the parent policy.
 */
class EndedJobInterruption extends ThreadStepInterruptionPolicy {

    private static final Logger log = LoggerFactory.getLogger(EndedJobInterruption.class);

    @Override
    public void checkInterrupted(StepExecution stepExecution) throws JobInterruptedException {
        super.checkInterrupted(stepExecution);
        BatchStatus job = stepExecution.getJobExecution().getStatus();
        if (job == BatchStatus.FAILED || job == BatchStatus.ABANDONED || job == BatchStatus.STOPPED
                || job == BatchStatus.COMPLETED) {
            log.warn("{} stops: its execution {} is {} (a restart runs the document again from its last commit)",
                    stepExecution.getStepName(), stepExecution.getJobExecutionId(), job);
            // Spring Batch 6's chunk-oriented step takes the exception below only as "stop reading" and would end
            // the step COMPLETED, which a restart then skips; a step marked terminate-only ends STOPPED.
            stepExecution.setTerminateOnly();
            throw new JobInterruptedException("execution " + stepExecution.getJobExecutionId() + " ended (" + job + ")",
                    BatchStatus.STOPPED);
        }
    }
}
