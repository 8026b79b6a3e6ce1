package io.diveteacher.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.core.task.SyncTaskExecutor;

class LargestDocumentsFirstTests {

    @TempDir
    Path folder;

    @Test
    void startsTheLargestDocumentsFirstAndRepairsLast() throws Exception {
        JobExecution job = new JobExecution(1, new JobInstance(1, "ingestion"), new JobParameters());
        Set<StepExecution> partitions = new HashSet<>();
        long id = 1;
        for (var document : List.of(new Object[] {"small", 1_000, null}, new Object[] {"large", 900_000, null},
                new Object[] {"medium", 50_000, null}, new Object[] {"repaired", 2_000_000, List.of(3, 4)},
                new Object[] {"repaired-more", 10, List.of(1, 2, 5)})) {
            String name = (String) document[0];
            Path file = folder.resolve(name + ".pdf");
            Files.write(file, new byte[(Integer) document[1]]);
            @SuppressWarnings("unchecked")
            List<Integer> repair = (List<Integer>) document[2];
            StepExecution partition = new StepExecution(id++, DocumentPartition.stepName(name), job);
            partition.setExecutionContext(new DocumentPartition(name, file.toString(), "sum", name + ".pdf", repair)
                    .toContext());
            partitions.add(partition);
        }
        List<String> started = new CopyOnWriteArrayList<>();
        Step step = new Step() {
            @Override
            public void execute(StepExecution stepExecution) {
                started.add(DocumentPartition.of(stepExecution.getExecutionContext()).documentId());
                stepExecution.setStatus(BatchStatus.COMPLETED);
            }
        };
        LargestDocumentsFirst handler = new LargestDocumentsFirst(() -> step);
        handler.setTaskExecutor(new SyncTaskExecutor());

        handler.doHandle(new StepExecution(99, "ingest", job), partitions);

        assertThat(started).containsExactly("large", "medium", "small", "repaired-more", "repaired");
    }
}
