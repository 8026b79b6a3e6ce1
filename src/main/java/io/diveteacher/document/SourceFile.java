package io.diveteacher.document;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A file on disk with the SHA-256 checksum of its bytes, read once in a streaming pass. */
public record SourceFile(Path path, String name, long size, String checksum) {

    public static SourceFile read(Path path) throws IOException {
        Path real = path.toRealPath();
        MessageDigest digest = sha256();
        long size;
        try (InputStream in = new DigestInputStream(Files.newInputStream(real), digest)) {
            size = in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return new SourceFile(real, real.getFileName().toString(), size, HexFormat.of().formatHex(digest.digest()));
    }

    /** Stable short hash used for identifiers (document ids, chunk ids, entity ids). */
    public static String hash(String value) {
        byte[] bytes = sha256().digest(value.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return HexFormat.of().formatHex(bytes, 0, 16);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
