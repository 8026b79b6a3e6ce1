package io.diveteacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.diveteacher.inference.OllamaTestServer;
import io.diveteacher.ingestion.IngestionLauncher;

/**
 * docker/verify-deployment.sh against fakes: a stub docker, ollama and nvidia-smi on the PATH that answer from
 * a test Ollama server and the running application (the samples ingested), so each check is seen to pass on a
 * good setup and to fail on a broken one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "diveteacher.ingestion.scheduling-enabled=false", "diveteacher.security.admin-password=x" })
class DeploymentScriptIT {

    static final OllamaTestServer OLLAMA = new OllamaTestServer();
    static final Path WORK = temporaryDirectory();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("diveteacher.data-dir", () -> WORK.resolve("data").toString());
        registry.add("spring.ai.ollama.base-url", OLLAMA::baseUrl);
    }

    @LocalServerPort
    int port;

    @Autowired
    IngestionLauncher launcher;

    private static boolean ingested;

    record Run(int exitCode, String output) {
        List<String> lines(String prefix) {
            return output.lines().filter(l -> l.startsWith(prefix)).toList();
        }
    }

    @BeforeEach
    void samplesIngestedAndAGoodOllama() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")) && Files.isExecutable(Path.of("/usr/bin/curl")),
                "verify-deployment.sh needs bash and curl");
        OLLAMA.reset();
        if (!ingested) {
            assertThat(launcher.ingest(List.of("samples")).getStatus().name()).isEqualTo("COMPLETED");
            ingested = true;
        }
        OLLAMA.evalDuration(100_000_000L); // a fast GPU: a few hundred tokens per second
    }

    @AfterAll
    static void stop() {
        OLLAMA.close();
    }

    @Test
    void onAGoodSetupEveryCheckPasses() throws Exception {
        Run run = verify(true, "http://127.0.0.1:" + port);

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.lines("FAIL")).isEmpty();
        assertThat(run.lines("PASS")).hasSize(10);
        assertThat(run.output()).contains("PASS  container rag-ollama-prod is running and healthy")
                .contains("PASS  container rag-backend-prod is running and healthy")
                .contains("PASS  Ollama answers /api/tags in rag-ollama-prod")
                .contains("PASS  backend reaches Ollama at its OLLAMA_BASE_URL (version 0.12.6)")
                .contains("PASS  backend /api/health is healthy")
                .containsPattern("PASS  RAG query answered with \\d+ source\\(s\\)")
                .containsPattern("PASS  generation speed [0-9.]+ tokens/s \\(threshold 40\\)")
                .contains("PASS  ollama ps: qwen2.5:7b-instruct-q8_0 runs 100% on the GPU")
                .contains("PASS  nvidia-smi sees Ollama on the GPU")
                .endsWith("All checks passed\n");
    }

    @Test
    void aModelOnTheCpuFailsTheGpuAndHealthChecks() throws Exception {
        OLLAMA.vramShare(0);

        Run run = verify(true, "http://127.0.0.1:" + port);

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output()).contains("FAIL  ollama ps: qwen2.5:7b-instruct-q8_0 runs on 100% CPU, not 100% GPU")
                .contains("FAIL  backend /api/health is degraded")
                .contains("check(s) failed");
    }

    @Test
    void slowGenerationFailsTheSpeedCheckOnly() throws Exception {
        OLLAMA.evalDuration(30_000_000_000L);

        Run run = verify(true, "http://127.0.0.1:" + port, "--min-tokens-per-second", "40");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.lines("FAIL")).singleElement().asString().contains("generation speed").contains("is below 40");
    }

    @Test
    void anUnhealthyBackendFailsItsContainerHealthAndQueryChecks() throws Exception {
        Run run = verify(true, "http://127.0.0.1:" + freePort());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output()).contains("FAIL  container rag-backend-prod: running unhealthy")
                .contains("FAIL  backend /api/health is not answering")
                .contains("FAIL  RAG query did not answer");
    }

    @Test
    void theDevModeAsksTheHostsOllamaAndWithoutNvidiaSmiThatCheckIsSkipped() throws Exception {
        Run run = verify(false, "http://127.0.0.1:" + port, "--dev", "--ollama-url", OLLAMA.baseUrl());

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("PASS  container diveteacher-dev-backend-1 is running and healthy")
                .contains("PASS  Ollama answers " + OLLAMA.baseUrl() + "/api/tags (2 models)")
                .contains("PASS  ollama ps: qwen2.5:7b-instruct-q8_0 runs 100% on the GPU")
                .contains("SKIP  nvidia-smi is not installed here")
                .doesNotContain("rag-ollama-prod");
    }

    @Test
    void theScaleChecksFindTheBrokerEachWorkerConnectedAndEachWorkersOllamaOnItsGpu() throws Exception {
        Map<String, String> twoWorkers = Map.of("FAKE_WORKERS", "rag-worker-1 rag-worker-2", "FAKE_CONSUMERS", "4");
        Run run = verify(true, "http://127.0.0.1:" + port, twoWorkers, "--scale");

        assertThat(run.exitCode()).as(run.output()).isZero();
        assertThat(run.output()).contains("PASS  RabbitMQ runs in rag-rabbitmq-scale")
                .contains("PASS  queue diveteacher.partitions: 4 consumer(s) for 2 worker(s), 0 partition(s) waiting")
                .contains("PASS  worker rag-worker-1 is connected to RabbitMQ (health UP)")
                .contains("PASS  worker rag-worker-2 is connected to RabbitMQ (health UP)")
                .contains("PASS  ollama ps in rag-ollama-1: qwen2.5:7b-instruct-q8_0 runs 100% on the GPU")
                .contains("PASS  ollama ps in rag-ollama-2: qwen2.5:7b-instruct-q8_0 runs 100% on the GPU");

        OLLAMA.vramShare(0);
        Run broken = verify(true, "http://127.0.0.1:" + port, Map.of("FAKE_WORKERS", "rag-worker-1 rag-worker-2",
                "FAKE_CONSUMERS", "1", "FAKE_WORKER_HEALTH", "{\"status\":\"DOWN\",\"components\":{\"broker\":"
                        + "{\"status\":\"DOWN\"}}}"), "--scale");

        assertThat(broken.exitCode()).isEqualTo(1);
        assertThat(broken.output()).contains("FAIL  queue diveteacher.partitions: 1 consumer(s) for 2 worker(s): a "
                + "worker is not consuming")
                .contains("FAIL  worker rag-worker-1 is not connected to RabbitMQ (broker DOWN)")
                .contains("FAIL  ollama ps in rag-ollama-2: qwen2.5:7b-instruct-q8_0 runs on 100% CPU, not 100% GPU");

        Run none = verify(true, "http://127.0.0.1:" + port, Map.of(), "--scale");
        assertThat(none.output()).contains("FAIL  no worker container (rag-worker-N) is running");
    }

    private Run verify(boolean withNvidiaSmi, String backendUrl, String... options) throws Exception {
        return verify(withNvidiaSmi, backendUrl, Map.of(), options);
    }

    private Run verify(boolean withNvidiaSmi, String backendUrl, Map<String, String> fakes, String... options)
            throws Exception {
        Path bin = Files.createTempDirectory(WORK, "bin-");
        for (String tool : withNvidiaSmi ? List.of("docker", "ollama", "nvidia-smi") : List.of("docker", "ollama")) {
            Path target = bin.resolve(tool);
            Files.copy(Path.of("src/test/resources/fake-bin", tool), target);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        List<String> command = new ArrayList<>(List.of("bash", "docker/verify-deployment.sh", "--backend-url", backendUrl,
                "--timeout", "60"));
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        // Only the fakes and the basic tools: never a real docker or nvidia-smi of this machine.
        env.put("PATH", bin + ":/usr/bin:/bin");
        env.put("FAKE_BACKEND_URL", backendUrl);
        env.put("FAKE_OLLAMA_URL", OLLAMA.baseUrl());
        env.putAll(fakes);
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        System.out.println("verify-deployment.sh " + String.join(" ", options) + ":\n" + output);
        return new Run(process.exitValue(), output);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static Path temporaryDirectory() {
        try {
            return Files.createTempDirectory("diveteacher-deploy-it-").toRealPath();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
