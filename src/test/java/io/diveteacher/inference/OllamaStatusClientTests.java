package io.diveteacher.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OllamaStatusClientTests {

    private static final OllamaTestServer OLLAMA = new OllamaTestServer();

    @BeforeEach
    void reset() {
        OLLAMA.reset();
    }

    @AfterAll
    static void stop() {
        OLLAMA.close();
    }

    private static OllamaStatusClient server(String url) {
        return new OllamaStatusClient(new InferenceProperties(url, OllamaTestServer.CHAT_MODEL, "bge-m3", 4, 8192,
                2048, false, true, Duration.ofSeconds(2), Duration.ofSeconds(10)));
    }

    @Test
    void theProcessorReadsLikeOllamaPs() {
        assertThat(OllamaStatusClient.processor(9_000, 9_000)).isEqualTo("100% GPU");
        assertThat(OllamaStatusClient.processor(9_000, 0)).isEqualTo("100% CPU");
        assertThat(OllamaStatusClient.processor(10_000, 5_200)).isEqualTo("48%/52% CPU/GPU");
    }

    @Test
    void reportsVersionModelsAndWhereTheGenerationModelRuns() {
        OllamaStatus status = server(OLLAMA.baseUrl()).status();

        assertThat(status.reachable()).isTrue();
        assertThat(status.version()).isEqualTo("0.12.6");
        assertThat(status.modelsPresent()).containsEntry(OllamaTestServer.CHAT_MODEL, true).containsEntry("bge-m3", true);
        assertThat(status.processor()).isEqualTo("100% GPU");
        assertThat(status.onCpu()).isFalse();

        OLLAMA.vramShare(0.52);
        assertThat(server(OLLAMA.baseUrl()).status().processor()).isEqualTo("48%/52% CPU/GPU");
        OLLAMA.vramShare(0);
        assertThat(server(OLLAMA.baseUrl()).status().onCpu()).isTrue();
        OLLAMA.loaded(false);
        assertThat(server(OLLAMA.baseUrl()).status().processor()).isEqualTo("not loaded");
        OLLAMA.removeModel(OllamaTestServer.CHAT_MODEL);
        assertThat(server(OLLAMA.baseUrl()).status().modelsPresent()).containsEntry(OllamaTestServer.CHAT_MODEL, false);
    }

    @Test
    void anUnreachableServerIsReportedWithTheReason() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }

        OllamaStatus status = server("http://127.0.0.1:" + port).status();

        assertThat(status.reachable()).isFalse();
        assertThat(status.processor()).isNull();
        assertThat(status.error()).contains("ConnectException");
    }
}
