package io.diveteacher.ingestion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;

import org.springframework.batch.core.partition.support.TaskExecutorPartitionHandler;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;

/**
 * Runs the partitions largest document first (whole documents by file size, then repairs by the chunks they redo).
 * Each document is written by one thread in order, so the largest one is the longest chain of the job; Spring
 * Batch hands partitions out in no particular order, and a large manual started last kept the job running alone
 * on it long after the others were done (the classic longest-processing-time-first rule).
 * <p>
 * Each document runs the step {@code steps} gives when it starts: the one whose commits suit the model's pace then
 * ({@link DocumentSteps}).
 */
class LargestDocumentsFirst extends TaskExecutorPartitionHandler {

    private static final Comparator<DocumentPartition> ORDER = Comparator
            .comparing((DocumentPartition p) -> p.repair() != null)
            .thenComparing(Comparator.comparingLong(LargestDocumentsFirst::size).reversed());

    private final Supplier<Step> steps;

    LargestDocumentsFirst(Supplier<Step> steps) {
        this.steps = steps;
        setStep(steps.get()); // the handler requires one; each task asks steps again (createTask)
    }

    @Override
    protected Set<StepExecution> doHandle(StepExecution managerStepExecution, Set<StepExecution> partitions)
            throws Exception {
        return super.doHandle(managerStepExecution, ordered(partitions));
    }

    @Override
    protected FutureTask<StepExecution> createTask(Step step, StepExecution stepExecution) {
        return super.createTask(steps.get(), stepExecution);
    }

    /** The partitions, largest document first (remote partitions are sent to the broker in this order too). */
    static Set<StepExecution> ordered(Set<StepExecution> partitions) {
        Set<StepExecution> ordered = new LinkedHashSet<>();
        partitions.stream()
                .sorted(Comparator.comparing(s -> DocumentPartition.of(s.getExecutionContext()), ORDER))
                .forEach(ordered::add);
        return ordered;
    }

    private static long size(DocumentPartition partition) {
        if (partition.repair() != null) {
            return partition.repair().size();
        }
        try {
            return Files.size(Path.of(partition.path()));
        } catch (IOException | RuntimeException e) {
            return 0; // gone or unreadable: its partition fails at once, wherever it comes
        }
    }
}
