package io.diveteacher.graph;

import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.diveteacher.document.PageImage;
import io.diveteacher.document.SourceFile;

/**
 * Rendered page images on disk (with a sidecar file: how many marks, and where), by what determines them (document
 * content, page, resolution, highlighted passage), so that a page shown again costs no rendering. At most {@code pageCacheFiles} images are kept: past that, the
 * oldest go. Written through a temporary file and a move, so a reader never sees half an image.
 */
@Component
class PageImageCache {

    private static final Logger log = LoggerFactory.getLogger(PageImageCache.class);
    private static final String IMAGE = ".png";

    private final Path directory;
    private final int maxFiles;
    private final AtomicInteger writesSincePrune = new AtomicInteger();

    PageImageCache(GraphProperties properties) {
        this.directory = properties.pageCache();
        this.maxFiles = properties.pageCacheFiles();
    }

    /** The key of an image: content checksum, page, resolution and a hash of the highlight. */
    static String key(String checksum, int page, int dpi, String highlight) {
        return SourceFile.hash(checksum + "|" + page + "|" + dpi + "|" + (highlight == null ? "" : highlight));
    }

    Optional<PageImage> find(String key) {
        if (directory == null) {
            return Optional.empty();
        }
        Path image = directory.resolve(key + IMAGE);
        try {
            byte[] png = Files.readAllBytes(image);
            String[] marks = Files.readString(directory.resolve(key + ".boxes")).strip().split(" ");
            Rectangle2D area = marks.length == 5 ? new Rectangle2D.Double(Double.parseDouble(marks[1]),
                    Double.parseDouble(marks[2]), Double.parseDouble(marks[3]), Double.parseDouble(marks[4])) : null;
            return Optional.of(new PageImage(png, Integer.parseInt(marks[0]), area));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // not cached (or half pruned): render it again
        }
    }

    void put(String key, PageImage image) {
        if (directory == null) {
            return;
        }
        try {
            Files.createDirectories(directory);
            Rectangle2D area = image.area();
            String marks = image.highlights() + (area == null ? "" : " " + area.getX() + " " + area.getY() + " "
                    + area.getWidth() + " " + area.getHeight());
            write(directory.resolve(key + ".boxes"), marks.getBytes(StandardCharsets.UTF_8));
            write(directory.resolve(key + IMAGE), image.png());
            if (writesSincePrune.incrementAndGet() >= Math.max(1, maxFiles / 10)) {
                writesSincePrune.set(0);
                prune();
            }
        } catch (IOException e) {
            log.warn("Could not cache a page image in {}: {}", directory, e.getMessage());
        }
    }

    private void write(Path target, byte[] bytes) throws IOException {
        Path temporary = Files.createTempFile(directory, ".page-", ".part");
        try {
            Files.write(temporary, bytes);
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** Deletes the oldest images beyond the limit. */
    void prune() throws IOException {
        List<Path> images;
        try (Stream<Path> files = Files.list(directory)) {
            images = files.filter(p -> p.getFileName().toString().endsWith(IMAGE)).toList();
        }
        if (images.size() <= maxFiles) {
            return;
        }
        List<Path> oldestFirst = images.stream().sorted(Comparator.comparing(PageImageCache::modified)).toList();
        for (Path image : oldestFirst.subList(0, images.size() - maxFiles)) {
            String name = image.getFileName().toString();
            Files.deleteIfExists(image);
            Files.deleteIfExists(directory.resolve(name.substring(0, name.length() - IMAGE.length()) + ".boxes"));
        }
    }

    private static FileTime modified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
