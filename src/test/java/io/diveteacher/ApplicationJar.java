package io.diveteacher;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How the integration tests start the packaged application in a JVM of its own. {@link #asBuilt} is the README's
 * command, {@code java -jar target/diveteacher.jar}. {@link #asInTheImage} is the same jar extracted the way the
 * Docker image holds it (the application jar beside {@code lib/}), started with an ahead-of-time cache that one
 * training start made (JDK 25's AOT cache, its classes loaded and linked and its methods profiled; a class-data
 * sharing archive on older JDKs): the same classes and configuration in about half the start-up time (8.3-9.6 s
 * with the archive, 6.4-7.4 s with the cache, 14 s with neither, here), which matters when two cores start a few
 * dozen of these JVMs in one build.
 */
public final class ApplicationJar {

    public static final Path BUILT = Path.of("target/diveteacher.jar").toAbsolutePath();
    private static final Path EXTRACTED_DIRECTORY = Path.of("target/extracted").toAbsolutePath();
    private static final Path EXTRACTED = EXTRACTED_DIRECTORY.resolve("diveteacher.jar");
    /** JDK 25 made the AOT cache a one-step option ({@code -XX:AOTCacheOutput}, JEP 514). */
    private static final boolean AOT_CACHE = Runtime.version().feature() >= 25;
    private static final Path ARCHIVE = EXTRACTED_DIRECTORY.resolve(AOT_CACHE ? "diveteacher.aot" : "diveteacher.jsa");

    private static List<String> prepared;

    private ApplicationJar() {
    }

    /** The java command of this JVM's runtime. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code java <jvm options> -jar target/diveteacher.jar}: the README's command. */
    public static List<String> asBuilt(String... jvmOptions) {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-jar", BUILT.toString()));
        return command;
    }

    /**
     * {@code java <jvm options> -XX:SharedArchiveFile=… -jar target/extracted/diveteacher.jar}: the jar as the
     * image holds it, with the AOT cache or class-data archive (made on first use, again whenever the jar is newer).
     */
    public static List<String> asInTheImage(String... jvmOptions) {
        List<String> command = new ArrayList<>(List.of(java()));
        command.addAll(prepare());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-jar", EXTRACTED.toString()));
        return command;
    }

    private static synchronized List<String> prepare() {
        if (prepared != null) {
            return prepared;
        }
        try {
            FileTime built = Files.getLastModifiedTime(BUILT);
            if (!Files.exists(ARCHIVE) || Files.getLastModifiedTime(ARCHIVE).compareTo(built) < 0) {
                long started = System.nanoTime();
                run(List.of(java(), "-Djarmode=tools", "-jar", BUILT.toString(), "extract", "--force", "--destination",
                        EXTRACTED_DIRECTORY.toString()), "extracting the jar");
                Files.deleteIfExists(ARCHIVE);
                Path training = Files.createTempDirectory("diveteacher-cds-training-");
                // A start of the web application (the embedded Neo4j, the job repository, every configuration class)
                // that ends once the context is refreshed: the classes it loaded go to the cache at exit.
                List<String> train = new ArrayList<>(List.of(java(), (AOT_CACHE ? "-XX:AOTCacheOutput="
                        : "-XX:ArchiveClassesAtExit=") + ARCHIVE,
                        "-Dspring.context.exit=onRefresh", "-Djava.io.tmpdir=" + training, "-jar", EXTRACTED.toString(),
                        "--server.port=0", "--diveteacher.data-dir=" + training.resolve("data"),
                        "--spring.ai.ollama.base-url=http://127.0.0.1:" + freePort(),
                        "--diveteacher.ingestion.scheduling-enabled=false"));
                run(train, "the AOT cache training start");
                System.out.printf("Extracted the jar and cached its classes (%s) in %.1f s%n", ARCHIVE.getFileName(),
                        (System.nanoTime() - started) / 1e9);
            }
            if (!Files.exists(ARCHIVE)) {
                prepared = List.of();
            } else if (AOT_CACHE) {
                prepared = List.of("-XX:AOTCache=" + ARCHIVE, "-Xlog:aot*=off", "-Xlog:cds*=off");
            } else {
                prepared = List.of("-XX:SharedArchiveFile=" + ARCHIVE, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("cannot prepare the extracted jar: " + e.getMessage(), e);
        }
        return prepared;
    }

    /**
     * The builder, its environment without this machine's application settings ({@code NEO4J_*}, {@code SPRING_*},
     * {@code DIVETEACHER_*}, {@code OLLAMA_*}): a started application has only the settings its test gives it.
     */
    public static ProcessBuilder withoutSettings(ProcessBuilder builder) {
        builder.environment().keySet().removeIf(k -> k.startsWith("NEO4J_") || k.startsWith("SPRING_")
                || k.startsWith("DIVETEACHER_") || k.startsWith("OLLAMA_"));
        return builder;
    }

    /** A port nothing listens on now: for a server a test starts, or as an address where nothing answers. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void run(List<String> command, String what) throws IOException, InterruptedException {
        ProcessBuilder builder = withoutSettings(new ProcessBuilder(command).redirectErrorStream(true));
        Path output = Files.createTempFile("diveteacher-cds-", ".log");
        Process process = builder.redirectOutput(output.toFile()).start();
        if (!process.waitFor(180, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroyForcibly();
            String log = Files.readString(output);
            throw new IllegalStateException(what + " failed:\n" + log.substring(Math.max(0, log.length() - 4000)));
        }
        Files.deleteIfExists(output);
    }
}
