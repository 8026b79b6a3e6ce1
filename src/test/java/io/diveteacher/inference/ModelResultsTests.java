package io.diveteacher.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** The model result cache on a real database (H2 in memory): lookups, batched writes and its size bound. */
class ModelResultsTests {

    private static ModelResults results(String name, long maxEntries) {
        InferenceProperties properties = new InferenceProperties("http://127.0.0.1:1", "m", "e", 4, 8192, 2048, false,
                true, Duration.ofSeconds(1), Duration.ofSeconds(1), maxEntries);
        ModelResults results = new ModelResults(new DriverManagerDataSource("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1"),
                properties, new SimpleMeterRegistry());
        results.afterPropertiesSet();
        return results;
    }

    @Test
    void resultsHandedOverAreFoundOnceFlushedAndTheKeyDependsOnFingerprintAndInput() {
        ModelResults results = results("found", 100);
        String key = ModelResults.key("model a", "text");

        results.putLater(ModelResults.EXTRACTION, key, () -> "{\"entities\":[]}");
        results.flush(Duration.ofSeconds(5));

        assertThat(results.find(ModelResults.EXTRACTION, key)).contains("{\"entities\":[]}");
        assertThat(results.find(ModelResults.EMBEDDING, key)).as("another kind").isEmpty();
        assertThat(ModelResults.key("model b", "text")).isNotEqualTo(key);
        assertThat(ModelResults.key("model a", "text.")).isNotEqualTo(key);
        float[] vector = {0.25f, -1.5f, 3f};
        assertThat(ModelResults.decode(ModelResults.encode(vector))).containsExactly(vector);
    }

    @Test
    void manyResultsHandedOverAtOnceAreAllStoredInSeveralBatches() {
        ModelResults results = results("many", 10_000);
        List<String> keys = IntStream.range(0, 1_234).mapToObj(i -> ModelResults.key("f", "text " + i)).toList();

        keys.forEach(key -> results.putLater(ModelResults.EMBEDDING, key, () -> "value of " + key));
        results.flush(Duration.ofSeconds(20));

        assertThat(results.size()).isEqualTo(keys.size());
        assertThat(results.findAll(ModelResults.EMBEDDING, keys)).hasSize(keys.size())
                .containsEntry(keys.getLast(), "value of " + keys.getLast());
    }

    @Test
    void beyondTheBoundTheLeastRecentlyUsedEntriesGo() throws Exception {
        ModelResults results = results("bounded", 3);
        List<String> keys = List.of("a", "b", "c", "d", "e").stream().map(k -> ModelResults.key("f", k)).toList();
        for (String key : keys) {
            results.put(ModelResults.EXTRACTION, key, key);
            Thread.sleep(5); // distinct use times
        }
        results.find(ModelResults.EXTRACTION, keys.getFirst()); // the oldest, used again

        long removed = results.trim();

        assertThat(removed).isEqualTo(2);
        assertThat(results.size()).isEqualTo(3);
        assertThat(results.find(ModelResults.EXTRACTION, keys.getFirst())).isPresent();
        assertThat(results.find(ModelResults.EXTRACTION, keys.get(1))).isEmpty();
        assertThat(results.find(ModelResults.EXTRACTION, keys.get(2))).isEmpty();
        assertThat(results.find(ModelResults.EXTRACTION, keys.getLast())).isPresent();
    }
}
