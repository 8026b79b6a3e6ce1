package io.diveteacher.document;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpooledChunksTests {

    private final Chunker chunker = new Chunker(new ChunkingProperties(400, 0.15));

    @TempDir
    Path folder;

    @Test
    void givesTheChunksTheChunkerMakesOfThePagesAndCountsThem() throws Exception {
        Path pdf = folder.resolve("manual.pdf");
        TestPdfs.variedManual(pdf, 12, 7);
        List<Chunk> direct = new ArrayList<>();
        try (PdfDocument document = PdfDocument.open(pdf)) {
            chunker.chunks("doc", "sum", document.pages()).forEachRemaining(direct::add);
        }

        List<Chunk> spooled = new ArrayList<>();
        try (PdfDocument document = PdfDocument.open(pdf);
                SpooledChunks spool = SpooledChunks.start(document, chunker, "doc", "sum", folder.resolve("spool"),
                        "manual.pdf")) {
            spool.chunks().forEachRemaining(spooled::add);
            assertThat(spool.chunkCount()).hasValue(direct.size());
            assertThat(spool.characters()).isPositive();
        }

        assertThat(direct).hasSizeGreaterThan(5);
        // Each chunk knows its language from the start (detected on the thread that reads ahead), spooled with it.
        assertThat(direct).allSatisfy(c -> assertThat(c.language()).isNotBlank()
                .isEqualTo(Languages.ofPassage(c.text())));
        assertThat(spooled).isEqualTo(direct);
        assertThat(Files.list(folder.resolve("spool"))).as("the spool file is deleted on close").isEmpty();
    }

    @Test
    void aScanHasNoCharactersAndNoChunks() throws Exception {
        Path pdf = folder.resolve("scan.pdf");
        TestPdfs.imageOnly(pdf);
        try (PdfDocument document = PdfDocument.open(pdf);
                SpooledChunks spool = SpooledChunks.start(document, chunker, "doc", "sum", folder.resolve("spool"),
                        "scan.pdf")) {
            assertThat(spool.chunks().hasNext()).isFalse();
            assertThat(spool.characters()).isZero();
            assertThat(spool.chunkCount()).hasValue(0);
        }
    }
}
