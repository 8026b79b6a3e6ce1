package io.diveteacher.ingestion;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.stereotype.Component;

/**
 * The executions this process runs in the background, from their launch until their job thread is done with them
 * (every step ended, the partitions included). Not until their end time is set: Spring Batch 6's stop sets it at
 * once, while the partitions still finish their current chunk, and a restart accepted then would run a document
 * beside itself. Registered as a listener of the jobs launched in the background.
 */
@Component
class LiveExecutions implements JobExecutionListener {

    private final Map<Long, JobExecution> live = new HashMap<>();
    // Jobs whose thread ended before their launcher tracked them (a very short job), and synchronous runs, which are
    // never tracked: the command line runs one job per process.
    private final Set<Long> endedUntracked = new HashSet<>();

    /** Keeps the live object of an execution just launched in the background, unless its job has ended already. */
    synchronized JobExecution track(JobExecution execution) {
        if (!endedUntracked.remove(execution.getId())) {
            live.put(execution.getId(), execution);
        }
        return execution;
    }

    /** The live object of an execution whose job thread runs in this process. */
    synchronized Optional<JobExecution> get(long executionId) {
        return Optional.ofNullable(live.get(executionId));
    }

    @Override
    public synchronized void afterJob(JobExecution execution) {
        if (live.remove(execution.getId()) == null) {
            endedUntracked.add(execution.getId());
        }
    }
}
