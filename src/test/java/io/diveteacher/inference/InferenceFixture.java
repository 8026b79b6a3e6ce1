package io.diveteacher.inference;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.ai.ollama.OllamaChatModel;
import org.springframework.ai.ollama.OllamaEmbeddingModel;
import org.springframework.ai.ollama.api.OllamaApi;
import org.springframework.ai.ollama.api.OllamaChatOptions;
import org.springframework.ai.ollama.api.OllamaEmbeddingOptions;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The inference module as the application wires it, for one Ollama URL, started: the runtime, chat, and the
 * {@link ModelsReady} events it published. Close it to stop its retries.
 */
record InferenceFixture(ModelRuntime runtime, ModelChat chat, ModelDecision decision, ThreadPoolTaskScheduler scheduler,
        List<ModelsReady> events) implements AutoCloseable {

    static InferenceFixture start(String baseUrl, String chatModel, String embeddingModel, boolean pull,
            boolean allowFallback, LocalModels local, int numCtx, int numPredict, Duration retryInterval) {
        InferenceProperties properties = new InferenceProperties(baseUrl, chatModel, embeddingModel, 4, numCtx, numPredict,
                pull, allowFallback, Duration.ofSeconds(2), retryInterval);
        OllamaApi api = OllamaApi.builder().baseUrl(baseUrl).build();
        var embeddings = OllamaEmbeddingModel.builder().ollamaApi(api)
                .options(OllamaEmbeddingOptions.builder().model(embeddingModel).build()).build();
        var chat = OllamaChatModel.builder().ollamaApi(api).options(OllamaChatOptions.builder().model(chatModel).build())
                .retryTemplate(new RetryTemplate(RetryPolicy.builder().maxRetries(0).build())).build();
        DefaultListableBeanFactory beans = new DefaultListableBeanFactory();
        if (local != null) {
            beans.registerSingleton("local", local);
        }
        ModelMetrics metrics = new ModelMetrics(new SimpleMeterRegistry());
        List<ModelsReady> events = new CopyOnWriteArrayList<>();
        ModelRuntime runtime = new ModelRuntime(metrics, event -> events.add((ModelsReady) event),
                new OllamaStatusClient(properties));
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(2);
        scheduler.initialize();
        ModelDecision decision = new ModelDecision(properties, runtime,
                new OllamaProbe(properties, new OllamaStatusClient(properties), api, embeddings, metrics), embeddings,
                beans.getBeanProvider(LocalModels.class), metrics, scheduler);
        decision.start();
        return new InferenceFixture(runtime, new ModelChat(properties, runtime, chat, api, metrics), decision, scheduler, events);
    }

    @Override
    public void close() {
        decision.stop();
        scheduler.shutdown();
    }
}
