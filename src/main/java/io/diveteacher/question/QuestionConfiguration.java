package io.diveteacher.question;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

/** The threads of streamed answers. */
@Configuration(proxyBeanMethods = false)
class QuestionConfiguration {

    /**
     * Streamed answers wait on Ollama most of the time: a virtual thread each costs next to nothing, and the chat's
     * parallel slots bound how many generate at once.
     */
    @Bean
    SimpleAsyncTaskExecutor answerStreams() {
        SimpleAsyncTaskExecutor executor = new SimpleAsyncTaskExecutor("answer-");
        executor.setVirtualThreads(true);
        return executor;
    }
}
