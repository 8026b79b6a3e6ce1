package io.diveteacher.ingestion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The {@code sources} job parameter: absolute, normalised paths of folders and files, one per line, in a
 * stable order so that the same sources always make the same job instance.
 */
final class IngestionSources {

    static final String PARAMETER = "sources";

    private IngestionSources() {
    }

    /** Resolves user-given paths; an error message names each path that does not exist. */
    static String parameter(List<String> paths) {
        List<String> resolved = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (String path : paths) {
            Path p = Path.of(path).toAbsolutePath().normalize();
            if (!Files.exists(p)) {
                missing.add(path);
                continue;
            }
            try {
                resolved.add(p.toRealPath().toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("no such file or folder: " + String.join(", ", missing));
        }
        if (resolved.isEmpty()) {
            throw new IllegalArgumentException("name at least one folder or PDF file to ingest");
        }
        return String.join("\n", resolved.stream().distinct().sorted().toList());
    }

    static List<Path> paths(String parameter) {
        return Arrays.stream(parameter.split("\n")).filter(s -> !s.isBlank()).map(Path::of).toList();
    }

    /**
     * The files of the sources: in folders those whose path relative to the folder matches the glob
     * {@code pattern} (null: any *.pdf at any depth; {@code **}{@code /} also matches no folder at all), files as given.
     */
    static List<Path> files(String parameter, String pattern) throws IOException {
        List<Path> files = new ArrayList<>();
        PathMatcher matcher = pattern == null ? null : FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        PathMatcher topLevel = pattern != null && pattern.startsWith("**/")
                ? FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(3)) : null;
        for (Path source : paths(parameter)) {
            if (Files.isDirectory(source)) {
                try (Stream<Path> walk = Files.walk(source)) {
                    walk.filter(Files::isRegularFile)
                            .filter(p -> {
                                if (matcher == null) {
                                    return p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".pdf");
                                }
                                Path relative = source.relativize(p);
                                return matcher.matches(relative) || topLevel != null && topLevel.matches(relative);
                            })
                            .sorted().forEach(files::add);
                }
            } else if (Files.isRegularFile(source)) {
                files.add(source);
            } else {
                throw new IOException("source " + source + " no longer exists or is not a regular file or folder");
            }
        }
        return files.stream().distinct().toList();
    }
}
