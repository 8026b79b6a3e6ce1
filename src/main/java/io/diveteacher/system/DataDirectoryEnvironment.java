package io.diveteacher.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Makes {@code diveteacher.data-dir} ({@code DIVETEACHER_DATA_DIR}) absolute and creates it before
 * anything uses it: H2 refuses relative file paths, and the embedded Neo4j, job repository and uploads all
 * live below it. The caches that libraries write to the home directory or /tmp by default (PDFBox fonts,
 * DJL and JNA native libraries, Tomcat's work files) go there too.
 */
class DataDirectoryEnvironment implements EnvironmentPostProcessor, Ordered {

    static final String PROPERTY = "diveteacher.data-dir";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Path directory = Path.of(environment.getProperty(PROPERTY, "./data")).toAbsolutePath().normalize();
        try {
            Files.createDirectories(directory.resolve("cache"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the data directory " + directory
                    + " (DIVETEACHER_DATA_DIR): " + e.getMessage(), e);
        }
        Path cache = directory.resolve("cache");
        environment.getPropertySources().addFirst(new MapPropertySource("diveteacherDataDirectory",
                Map.of(PROPERTY, directory.toString(), "server.tomcat.basedir", cache.resolve("tomcat").toString())));
        // Libraries read these as system properties; an explicit -D setting wins.
        Map.of("pdfbox.fontcache", cache, "DJL_CACHE_DIR", cache.resolve("djl"), "jna.tmpdir", cache.resolve("jna"))
                .forEach((key, value) -> {
                    if (System.getProperty(key) == null) {
                        System.setProperty(key, value.toString());
                    }
                });
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
