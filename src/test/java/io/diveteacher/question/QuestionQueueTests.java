package io.diveteacher.question;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.diveteacher.inference.InferenceProperties;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

class QuestionQueueTests {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @Test
    void takesTheSlotsPlusTheWaitingPlacesThenRefusesAndCountsTheRefusals() {
        QuestionQueue queue = queue(2, 3);
        List<QuestionQueue.Place> places = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            places.add(queue.enter());
        }

        assertThatThrownBy(queue::enter).isInstanceOfSatisfying(QuestionQueue.Overloaded.class, e -> {
            assertThat(e.active()).isEqualTo(5);
            assertThat(e.capacity()).isEqualTo(5);
            assertThat(e.retryAfterSeconds()).isBetween(1L, 120L);
        });
        assertThat(meters.get("diveteacher.query.rejected").counter().count()).isEqualTo(1);
        assertThat(meters.get("diveteacher.query.active").gauge().value()).isEqualTo(5);

        places.getFirst().close();
        places.getFirst().close(); // twice: still one place freed
        QuestionQueue.Place again = queue.enter();
        assertThatThrownBy(queue::enter).isInstanceOf(QuestionQueue.Overloaded.class);
        again.close();
        places.forEach(QuestionQueue.Place::close);
        assertThat(meters.get("diveteacher.query.active").gauge().value()).isZero();
    }

    @Test
    void waitingPlacesDefaultToTwiceTheSlots() {
        QuestionQueue queue = queue(4, null);
        for (int i = 0; i < 12; i++) {
            queue.enter();
        }

        assertThatThrownBy(queue::enter).isInstanceOfSatisfying(QuestionQueue.Overloaded.class,
                e -> assertThat(e.capacity()).isEqualTo(12));
    }

    @Test
    void theWaitToldIsTheRoundsAheadAtTheRecentAnswerTime() throws Exception {
        QuestionQueue queue = queue(1, 2);
        // Before any answer: a guess of 2 s a round, 3 rounds ahead.
        assertThat(queue.retryAfterSeconds()).isEqualTo(6);
        for (int i = 0; i < 20; i++) {
            queue.enter().close(); // answers of about no time pull the mean down
        }
        assertThat(queue.retryAfterSeconds()).isEqualTo(1);
    }

    private QuestionQueue queue(int slots, Integer maxWaiting) {
        InferenceProperties inference = new InferenceProperties("http://127.0.0.1:1", "m", "e", slots, 8192, 2048, false,
                true, Duration.ofSeconds(1), Duration.ofSeconds(1));
        QueryProperties properties = new QueryProperties(8, 30, 20, null, 0.4, 3, 0.5, 20, 12, 1024, 0.1, 300,
                Duration.ofMinutes(5), maxWaiting, 0.5);
        return new QuestionQueue(inference, properties, meters);
    }
}
