package io.diveteacher.ingestion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

/**
 * The folders the admin API may ingest from: the sources of the job definitions, the upload inbox and
 * {@code DIVETEACHER_ALLOWED_ROOTS}. A path is checked after normalising {@code ..} and again after following
 * symbolic links, so neither can lead out of them.
 */
@Component
class AllowedRoots {

    private final IngestionProperties properties;
    private final JobDefinitions definitions;

    AllowedRoots(IngestionProperties properties, JobDefinitions definitions) {
        this.properties = properties;
        this.definitions = definitions;
    }

    List<Path> roots() {
        List<Path> roots = new ArrayList<>();
        definitions.all().forEach(d -> roots.add(d.source()));
        roots.add(properties.inbox());
        roots.addAll(properties.allowedRoots());
        List<Path> real = new ArrayList<>();
        for (Path root : roots) {
            try {
                real.add(root.toRealPath());
            } catch (IOException e) {
                // a root that does not exist (yet) holds nothing to ingest
            }
        }
        return real.stream().distinct().toList();
    }

    /** The real path of a user-given path inside a root; IllegalArgumentException saying why not otherwise. */
    Path resolve(String path) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("path is required: an absolute path of a folder or PDF file inside "
                    + describe());
        }
        Path given;
        try {
            given = Path.of(path);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("path is not a valid path: " + e.getMessage());
        }
        if (!given.isAbsolute()) {
            throw new IllegalArgumentException("path must be absolute, inside " + describe());
        }
        List<Path> roots = roots();
        Path normal = given.normalize();
        if (roots.stream().noneMatch(normal::startsWith)) {
            throw new IllegalArgumentException("path " + normal + " is outside the folders the API may ingest: " + describe());
        }
        if (!Files.exists(normal)) {
            throw new IllegalArgumentException("no such file or folder: " + normal);
        }
        Path real;
        try {
            real = normal.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("path " + normal + " cannot be resolved: " + e.getMessage());
        }
        if (roots.stream().noneMatch(real::startsWith)) {
            throw new IllegalArgumentException("path " + normal + " leads (through a symbolic link) to " + real
                    + ", outside the folders the API may ingest: " + describe());
        }
        return real;
    }

    private String describe() {
        List<Path> roots = roots();
        return roots.isEmpty() ? "no folder is allowed yet (add job definitions or set DIVETEACHER_ALLOWED_ROOTS)"
                : String.join(", ", roots.stream().map(Path::toString).toList());
    }
}
