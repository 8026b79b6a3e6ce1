package io.diveteacher.ingestion;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import io.diveteacher.inference.InferenceProperties;

class DocumentStepsTests {

    @Test
    void commitsStaySmallUntilAnExtractionIsTimedAndWithASlowModel() {
        assertThat(DocumentSteps.commitSize(16, 64, 4, OptionalDouble.empty())).isEqualTo(16);
        // A model on a GPU: seconds per extraction.
        assertThat(DocumentSteps.commitSize(16, 64, 4, OptionalDouble.of(2.5))).isEqualTo(16);
        assertThat(DocumentSteps.commitSize(16, 64, 1, OptionalDouble.of(0.4))).isEqualTo(16);
    }

    @Test
    void commitsDoubleWhileTheyHoldAFewSecondsOfExtractionAtMostUpToTheLargest() {
        // 400 ms on 4 slots: 32 chunks are 3.2 s of extraction, 64 would be 6.4 s.
        assertThat(DocumentSteps.commitSize(16, 64, 4, OptionalDouble.of(0.4))).isEqualTo(32);
        // An instant model: as large as allowed.
        assertThat(DocumentSteps.commitSize(16, 64, 4, OptionalDouble.of(0.01))).isEqualTo(64);
        assertThat(DocumentSteps.commitSize(16, 16, 4, OptionalDouble.of(0.01))).isEqualTo(16);
        assertThat(DocumentSteps.commitSize(10, 64, 4, OptionalDouble.of(0.01))).isEqualTo(40);
    }

    @Test
    void aDocumentStartedAfterFastExtractionsGetsTheStepWithTheLargestCommits() throws Exception {
        ThreadPoolTaskExecutor threads = new ThreadPoolTaskExecutor();
        threads.setCorePoolSize(4);
        threads.initialize();
        ExtractionQueue queue = new ExtractionQueue(threads, inference(), new SimpleMeterRegistry());
        List<Integer> built = new ArrayList<>();
        DocumentSteps steps = new DocumentSteps(size -> {
            built.add(size);
            return new SizedStep(size);
        }, queue, 16, 64);

        assertThat(((SizedStep) steps.forNextDocument()).size()).as("before any extraction").isEqualTo(16);
        for (int i = 0; i < 10; i++) {
            queue.submit(1, () -> "extracted at once").get();
        }
        assertThat(((SizedStep) steps.forNextDocument()).size()).isEqualTo(64);
        assertThat(steps.forNextDocument()).as("one step per size, reused").isSameAs(steps.forNextDocument());
        assertThat(built).containsExactly(16, 64);
        threads.shutdown();
    }

    @Test
    void thePaceOfExtractionsEndedLongAgoIsForgotten() throws Exception {
        ThreadPoolTaskExecutor threads = new ThreadPoolTaskExecutor();
        threads.initialize();
        ExtractionQueue queue = new ExtractionQueue(threads, inference(), new SimpleMeterRegistry());
        queue.submit(1, () -> "extracted at once").get();

        assertThat(queue.secondsPerExtraction()).isPresent();
        long later = System.nanoTime() + ExtractionQueue.PACE_FORGOTTEN_AFTER.plusSeconds(1).toNanos();
        assertThat(queue.secondsPerExtraction(later)).as("the model may have been unloaded since").isEmpty();
        threads.shutdown();
    }

    private static InferenceProperties inference() {
        return new InferenceProperties("http://127.0.0.1:1", "m", "e", 4, 8192, 2048, false, true,
                Duration.ofSeconds(1), Duration.ofSeconds(1));
    }

    /** A stand-in for the document step built with this commit interval. */
    private record SizedStep(int size) implements Step {
        @Override
        public void execute(StepExecution stepExecution) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String getName() {
            return DocumentPartition.WORKER_STEP;
        }
    }
}
