package io.diveteacher.ingestion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import io.diveteacher.document.Chunk;
import io.diveteacher.inference.EmbeddingCache;
import io.diveteacher.inference.ModelCallException;

class ChunkEmbeddingsTests {

    private final EmbeddingCache cache = mock(EmbeddingCache.class);
    private final List<List<String>> requests = new CopyOnWriteArrayList<>();
    private final List<String> threads = new CopyOnWriteArrayList<>();
    /** Runs each request on its own thread, as the embedding executor does. */
    private final Executor embeddingThreads = task -> Thread.ofPlatform().name("embed-test").start(task);

    ChunkEmbeddingsTests() {
        when(cache.embed(anyList(), anyBoolean())).thenAnswer(call -> {
            List<String> texts = call.getArgument(0);
            requests.add(texts);
            threads.add(Thread.currentThread().getName());
            return new EmbeddingCache.Vectors(texts.stream().map(ChunkEmbeddingsTests::vectorOf).toList(), "bge-m3", 0);
        });
    }

    @Test
    void embedsEachFullBatchAsSoonAsItIsReadAndTheLastOneWhenItIsWritten() {
        ChunkEmbeddings embeddings = new ChunkEmbeddings(cache, true, 3, embeddingThreads);
        List<Chunk> chunks = chunks(7);
        chunks.forEach(embeddings::ahead);

        ChunkEmbeddings.Vectors first = embeddings.vectors(chunks.subList(0, 3));
        ChunkEmbeddings.Vectors rest = embeddings.vectors(chunks.subList(3, 7));

        // Each batch on its own thread: they may arrive in any order.
        assertThat(requests).containsExactlyInAnyOrder(List.of("text 0", "text 1", "text 2"),
                List.of("text 3", "text 4", "text 5"), List.of("text 6"));
        assertThat(threads).containsOnly("embed-test");
        assertThat(first.vectors()).containsExactly(vectorOf("text 0"), vectorOf("text 1"), vectorOf("text 2"));
        assertThat(rest.vectors()).containsExactly(vectorOf("text 3"), vectorOf("text 4"), vectorOf("text 5"),
                vectorOf("text 6"));
        assertThat(rest.model()).isEqualTo("bge-m3");
    }

    @Test
    void aBatchThatFailedIsEmbeddedAgainOnTheWritersThreadWhereItsFailureReachesTheStep() {
        AtomicBoolean down = new AtomicBoolean(true);
        doAnswer(call -> {
            List<String> texts = call.getArgument(0);
            requests.add(texts);
            threads.add(Thread.currentThread().getName());
            if (down.get()) {
                throw new ModelCallException("Ollama is not reachable", true, null);
            }
            return new EmbeddingCache.Vectors(texts.stream().map(ChunkEmbeddingsTests::vectorOf).toList(), "bge-m3", 0);
        }).when(cache).embed(anyList(), anyBoolean());
        ChunkEmbeddings embeddings = new ChunkEmbeddings(cache, false, 2, Runnable::run);
        List<Chunk> chunks = chunks(2);
        chunks.forEach(embeddings::ahead);

        assertThatThrownBy(() -> embeddings.vectors(chunks)).isInstanceOf(ModelCallException.class);
        down.set(false);
        ChunkEmbeddings.Vectors retried = embeddings.vectors(chunks);

        assertThat(retried.vectors()).containsExactly(vectorOf("text 0"), vectorOf("text 1"));
        assertThat(requests).as("the batch, its retry on the writer's thread, and the step's retry").hasSize(3);
    }

    @Test
    void aCancelledStepSendsNothingMore() {
        ChunkEmbeddings embeddings = new ChunkEmbeddings(cache, true, 4, embeddingThreads);
        chunks(3).forEach(embeddings::ahead);
        embeddings.cancel();
        verify(cache, never()).embed(anyList(), anyBoolean());
    }

    private static List<Chunk> chunks(int count) {
        List<Chunk> chunks = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            chunks.add(new Chunk("c" + i, "text " + i, 1, 1, i, 2, List.of(new Chunk.PageStart(0, 1))));
        }
        return chunks;
    }

    private static float[] vectorOf(String text) {
        return new float[] {text.hashCode(), text.length()};
    }
}
