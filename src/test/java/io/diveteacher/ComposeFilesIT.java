package io.diveteacher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/**
 * The Compose files as {@code docker-compose config} resolves them with the example env files (CI installs the
 * Debian docker-compose; without it these tests are skipped): the facts the deployment guide relies on.
 */
class ComposeFilesIT {

    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private Map<String, Object> config(String environment, String exampleEnv) throws Exception {
        return config(List.of(environment), exampleEnv);
    }

    /** The configuration of these Compose files together (each extends the ones before it). */
    @SuppressWarnings("unchecked")
    private Map<String, Object> config(List<String> environments, String exampleEnv) throws Exception {
        assumeTrue(onPath("docker-compose"), "docker-compose is not installed (.ci/run installs it)");
        // The examples leave the secrets empty, and Compose refuses to start without them: fill them for the check.
        String env = Files.readString(Path.of("docker", exampleEnv)).replaceAll("(?m)^(\\w*PASSWORD)=$", "$1=example-secret");
        Path envFile = Files.writeString(dir.resolve(String.join("-", environments) + ".env"), env);
        List<String> command = new java.util.ArrayList<>(List.of("docker-compose"));
        for (String environment : environments) {
            command.addAll(List.of("-f", "docker/docker-compose." + environment + ".yml"));
        }
        command.addAll(List.of("--env-file", envFile.toString(), "config"));
        Process process = new ProcessBuilder(command).redirectErrorStream(false).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(err).isZero();
        return (Map<String, Object>) new Yaml().load(out);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value, String... path) {
        Object current = value;
        for (String key : path) {
            current = ((Map<String, Object>) current).get(key);
        }
        return (Map<String, Object>) current;
    }

    @Test
    void developmentRunsBackendAndNeo4jAndReachesTheHostsOllama() throws Exception {
        Map<String, Object> config = config("dev", ".env.example");
        Map<String, Object> services = map(config, "services");

        assertThat(services).containsOnlyKeys("backend", "neo4j");
        Map<String, Object> backend = map(services, "backend");
        assertThat(map(backend, "environment")).containsEntry("OLLAMA_BASE_URL", "http://host.docker.internal:11434");
        // docker-compose prints extra_hosts as a list or as a map, depending on its version.
        assertThat(backend.get("extra_hosts").toString()).containsPattern("host\\.docker\\.internal[:=]host-gateway");
        assertThat(map(backend, "depends_on", "neo4j")).containsEntry("condition", "service_healthy");
        assertThat(backend.toString()).doesNotContain("11434:").doesNotContain("nvidia");
        assertThat(map(services, "neo4j", "healthcheck").get("test").toString()).contains("cypher-shell");
        assertThat(map(services, "neo4j").get("image").toString()).matches("neo4j:\\d{4}\\.\\d+\\.\\d+-community");
    }

    @Test
    @SuppressWarnings("unchecked")
    void productionAddsOllamaOnTheGpuAndPostgresWithFixedNamesAndHealthyDependencies() throws Exception {
        Map<String, Object> config = config("prod", ".env.prod.example");
        Map<String, Object> services = map(config, "services");

        assertThat(services).containsOnlyKeys("backend", "neo4j", "ollama", "postgres");
        // The fulltext indexes refresh once a second, as the embedded graph's do (EmbeddedNeo4jServer).
        assertThat(map(services, "neo4j", "environment"))
                .containsEntry("NEO4J_db_index_fulltext_eventually__consistent__refresh__interval", "1s");
        assertThat(map(services, "ollama").get("container_name")).isEqualTo("rag-ollama-prod");
        assertThat(map(services, "neo4j").get("container_name")).isEqualTo("rag-neo4j-prod");
        assertThat(map(services, "backend").get("container_name")).isEqualTo("rag-backend-prod");

        List<Map<String, Object>> devices = (List<Map<String, Object>>) map(services, "ollama", "deploy", "resources",
                "reservations").get("devices");
        assertThat(devices).singleElement().satisfies(device -> {
            assertThat(device.get("driver")).isEqualTo("nvidia");
            assertThat((List<String>) device.get("capabilities")).contains("gpu");
        });
        for (String other : List.of("backend", "neo4j", "postgres")) {
            assertThat(map(services, other).toString()).as(other).doesNotContain("nvidia");
        }
        assertThat(map(services, "ollama", "healthcheck").get("test").toString()).contains("ollama").doesNotContain("curl");
        assertThat(map(services, "ollama", "environment")).containsKeys("OLLAMA_KEEP_ALIVE", "OLLAMA_NUM_PARALLEL",
                "OLLAMA_MAX_LOADED_MODELS");
        assertThat(map(services, "ollama").get("image").toString()).matches("ollama/ollama:\\d+\\.\\d+\\.\\d+");

        Map<String, Object> environment = map(services, "backend", "environment");
        assertThat(environment).containsEntry("OLLAMA_BASE_URL", "http://ollama:11434");
        assertThat(environment.get("SPRING_DATASOURCE_URL").toString()).startsWith("jdbc:postgresql://postgres:5432/");
        Map<String, Object> dependsOn = map(services, "backend", "depends_on");
        assertThat(dependsOn).containsOnlyKeys("neo4j", "ollama", "postgres");
        dependsOn.values().forEach(d -> assertThat((Map<String, Object>) d).containsEntry("condition", "service_healthy"));
        for (String service : services.keySet()) {
            assertThat(map(services, service).get("restart")).as(service).isEqualTo("unless-stopped");
            if (!service.equals("backend")) {
                assertThat(map(services, service)).as(service).containsKey("healthcheck");
            }
        }
        assertThat(map(config, "volumes")).containsKey("ollama-models");
    }

    @Test
    @SuppressWarnings("unchecked")
    void scaleOutAddsRabbitmqAndAWorkerWithItsOwnOllamaPerGpuToProduction() throws Exception {
        Map<String, Object> config = config(List.of("prod", "scale"), ".env.scale.example");
        Map<String, Object> services = map(config, "services");

        assertThat(services).containsOnlyKeys("backend", "neo4j", "ollama", "postgres", "rabbitmq", "worker-1",
                "ollama-1", "worker-2", "ollama-2");
        Map<String, Object> rabbitmq = map(services, "rabbitmq");
        assertThat(rabbitmq.get("image").toString()).matches("rabbitmq:\\d+\\.\\d+\\.\\d+-management");
        assertThat(map(rabbitmq, "healthcheck").get("test").toString()).contains("rabbitmq-diagnostics");
        assertThat(rabbitmq.get("ports").toString()).contains("127.0.0.1").contains("15672");

        Map<String, Object> manager = map(services, "backend", "environment");
        assertThat(manager).containsEntry("DIVETEACHER_INGESTION_MODE", "remote").containsEntry("SPRING_RABBITMQ_HOST",
                "rabbitmq");
        assertThat(manager.get("SPRING_DATASOURCE_URL").toString()).startsWith("jdbc:postgresql://postgres:5432/");
        assertThat(map(services, "backend", "depends_on", "rabbitmq")).containsEntry("condition", "service_healthy");
        for (int i = 1; i <= 2; i++) {
            Map<String, Object> worker = map(services, "worker-" + i);
            assertThat((List<String>) worker.get("command")).containsExactly("worker");
            Map<String, Object> environment = map(worker, "environment");
            assertThat(environment).containsEntry("OLLAMA_BASE_URL", "http://ollama-" + i + ":11434")
                    .containsEntry("NEO4J_URI", "bolt://neo4j:7687").containsEntry("SPRING_RABBITMQ_HOST", "rabbitmq")
                    .containsEntry("DIVETEACHER_WORKER_NAME", "worker-" + i).containsEntry("SPRING_PROFILES_ACTIVE", "prod")
                    .containsKeys("SPRING_RABBITMQ_PASSWORD", "SPRING_DATASOURCE_PASSWORD", "NEO4J_PASSWORD");
            assertThat(environment.get("SPRING_DATASOURCE_URL").toString()).startsWith("jdbc:postgresql://postgres:5432/");
            assertThat(map(worker, "healthcheck").get("test").toString()).contains("8081/actuator/health");
            assertThat(map(worker, "depends_on", "ollama-" + i)).containsEntry("condition", "service_healthy");
            assertThat(worker.toString()).doesNotContain("nvidia");
            List<Map<String, Object>> devices = (List<Map<String, Object>>) map(services, "ollama-" + i, "deploy",
                    "resources", "reservations").get("devices");
            String gpu = String.valueOf(i);
            assertThat(devices).singleElement().satisfies(device -> {
                assertThat(device.get("driver")).isEqualTo("nvidia");
                assertThat((List<String>) device.get("device_ids")).containsExactly(gpu);
            });
        }
        assertThat(map(config, "volumes")).containsKeys("rabbitmq-data", "backend-data");
    }

    @Test
    void theEnvExamplesNameEveryVariableTheirComposeFilesUseAndHoldNoSecrets() throws IOException {
        String dev = Files.readString(Path.of("docker/.env.example"));
        String prod = Files.readString(Path.of("docker/.env.prod.example"));
        for (var example : Map.of("docker/.env.example", List.of("docker-compose.base.yml", "docker-compose.dev.yml"),
                "docker/.env.prod.example", List.of("docker-compose.base.yml", "docker-compose.prod.yml"),
                "docker/.env.scale.example", List.of("docker-compose.base.yml", "docker-compose.prod.yml",
                        "docker-compose.scale.yml")).entrySet()) {
            String text = Files.readString(Path.of(example.getKey()));
            for (String variable : variables(example.getValue())) {
                assertThat(text).as(example.getKey() + " names " + variable).containsPattern("(?m)^" + variable + "=");
            }
            assertThat(text).doesNotContainPattern("(?m)^\\w*PASSWORD=.+");
        }
        assertThat(dev).contains("OLLAMA_MODEL=qwen2.5:7b-instruct-q8_0").contains("OLLAMA_BASE_URL=http://host.docker.internal:11434");
        assertThat(prod).contains("OLLAMA_MODEL=qwen2.5:7b-instruct-q8_0").contains("OLLAMA_BASE_URL=http://ollama:11434");
    }

    @Test
    void theDockerfileBuildsTheProductionProfileInLayersAndRunsAsANonRootUserWithAHealthcheck() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("docker/Dockerfile"));
        List<String> stages = lines.stream().filter(l -> l.startsWith("FROM ")).toList();

        assertThat(stages).hasSize(2);
        assertThat(stages.get(0)).matches("FROM eclipse-temurin:2\\d[.\\w-]*-jdk[\\w-]* AS build");
        assertThat(stages.get(1)).matches("FROM eclipse-temurin:2\\d[.\\w-]*-jre[\\w-]*");
        String dockerfile = String.join("\n", lines);
        assertThat(dockerfile).contains("./mvnw -B -ntp -Dprod -DskipTests package")
                .contains("-Djarmode=tools -jar target/diveteacher.jar extract --layers")
                .contains("COPY --from=build /layers/dependencies/").contains("COPY --from=build /layers/application/")
                .containsPattern("(?m)^USER diveteacher$")
                .containsPattern("HEALTHCHECK [^\\n]*\\n\\s*CMD curl -fsS [^\\n]*/api/health")
                .contains("-XX:MaxRAMPercentage=").contains("SPRING_PROFILES_ACTIVE=prod");
        // The user is switched to before the entry point, never back to root.
        assertThat(dockerfile.indexOf("USER diveteacher")).isLessThan(dockerfile.indexOf("ENTRYPOINT"));
        assertThat(dockerfile).doesNotContainPattern("(?m)^USER root");
        assertThat(Files.readString(Path.of("docker/Dockerfile.dockerignore"))).contains("src/test/");
    }

    /** The ${VARIABLES} of Compose files ($${...} is the container's own, escaped). */
    private static Set<String> variables(List<String> files) throws IOException {
        Set<String> used = new TreeSet<>();
        for (String file : files) {
            Matcher m = Pattern.compile("(?<!\\$)\\$\\{(\\w+)").matcher(Files.readString(Path.of("docker", file)));
            while (m.find()) {
                used.add(m.group(1));
            }
        }
        used.remove("DIVETEACHER_VERSION"); // the image tag, set when building a release
        return used;
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
