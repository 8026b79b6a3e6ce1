package io.diveteacher.document;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PdfDocumentTests {

    @TempDir
    Path dir;

    @Test
    void readsPagesInOrderWithTheirTextAndTheTitle() throws Exception {
        try (PdfDocument pdf = PdfDocument.open(Path.of("samples/nitrox-basics.pdf"))) {
            assertThat(pdf.info().title()).isEqualTo("Nitrox Basics");
            assertThat(pdf.info().author()).isEqualTo("DiveTeacher Project");
            assertThat(pdf.info().pages()).isEqualTo(2);
            List<PageText> pages = new ArrayList<>();
            pdf.pages().forEachRemaining(pages::add);
            assertThat(pages).extracting(PageText::number).containsExactly(1, 2);
            assertThat(pages.get(0).text()).contains("What Nitrox Is").contains("EAN32");
            assertThat(pages.get(1).text()).contains("Maximum Operating Depth").contains("33 m");
            // Paragraphs stay apart, so chunking can keep them together.
            assertThat(pages.get(0).text()).containsPattern("\\n\\s*\\n");
        }
    }

    @Test
    void eachPageReadsAsPdfBoxReadsItAloneWithTextDrawnTwiceKeptOnce() throws Exception {
        List<Path> files = new ArrayList<>();
        try (var samples = Files.list(Path.of("samples"))) {
            samples.filter(p -> p.toString().endsWith(".pdf")).sorted().forEach(files::add);
        }
        // 70 pages: read in ranges of 1, 2, 4, 8, 16, 32 and the 7 left.
        TestPdfs.variedManual(dir.resolve("seventy.pdf"), 70, 3);
        files.add(dir.resolve("seventy.pdf"));
        TestPdfs.fakeBold(dir.resolve("bold.pdf"), List.of("Safety Stop", "Buddy Check Before Every Dive"));
        files.add(dir.resolve("bold.pdf"));
        for (Path file : files) {
            List<PageText> pages = new ArrayList<>();
            try (PdfDocument pdf = PdfDocument.open(file)) {
                pdf.pages().forEachRemaining(pages::add);
            }
            try (PDDocument document = Loader.loadPDF(file.toFile())) {
                assertThat(pages).extracting(PageText::number)
                        .containsExactlyElementsOf(IntStream.rangeClosed(1, document.getNumberOfPages()).boxed().toList());
                PDFTextStripper pdfBox = new PDFTextStripper();
                pdfBox.setParagraphEnd("\n");
                pdfBox.setLineSeparator("\n");
                for (PageText page : pages) {
                    pdfBox.setStartPage(page.number());
                    pdfBox.setEndPage(page.number());
                    assertThat(page.text()).as("%s page %d", file.getFileName(), page.number())
                            .isEqualTo(pdfBox.getText(document));
                }
            }
        }
        try (PdfDocument pdf = PdfDocument.open(dir.resolve("bold.pdf"))) {
            // Inside marked content with an /ActualText, PDFBox keeps every glyph (and so do we: compared above).
            assertThat(pdf.page(1).text()).containsOnlyOnce("Safety Stop").containsOnlyOnce("Buddy Check Before Every Dive")
                    .doesNotContain("SS").contains("office");
        }
    }

    @Test
    void rendersAPageWithThePassageMarkedWhereItsGlyphsAre() throws Exception {
        try (PdfDocument pdf = PdfDocument.open(Path.of("samples/nitrox-basics.pdf"))) {
            // As a chunk's excerpt would quote it: line breaks and spacing of the extraction do not matter.
            PageImage marked = pdf.render(1, 72, "Less nitrogen means less   nitrogen absorbed at a given depth, so nitrox "
                    + "gives longer no-stop limits than air at the same depth.");
            PageImage plain = pdf.render(1, 72, null);
            PageImage elsewhere = pdf.render(1, 72, "This sentence is on no page of the manual at all, anywhere.");

            var image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(marked.png()));
            assertThat(image.getWidth()).isEqualTo(595); // A4 at 72 dpi
            assertThat(marked.highlights()).as("one box per line of the passage").isBetween(2, 3);
            assertThat(marked.area().getY()).isBetween(0.1, 0.5);
            assertThat(marked.area().getWidth()).isBetween(0.3, 1.0);
            assertThat(plain.highlights()).isZero();
            assertThat(plain.area()).isNull();
            assertThat(elsewhere.highlights()).isZero();
            assertThat(marked.png()).isNotEqualTo(plain.png());
            assertThat(elsewhere.png()).isEqualTo(plain.png());
        }
    }

    @Test
    void aPassageRunningOnToTheNextPageIsMarkedAsFarAsItIsOnThisOne() throws Exception {
        try (PdfDocument pdf = PdfDocument.open(Path.of("samples/nitrox-basics.pdf"))) {
            PageImage partly = pdf.render(1, 72, "Nitrox does not make diving deeper safer. This sentence is on another page.");

            assertThat(partly.highlights()).isPositive();
        }
    }

    @Test
    void aPageOutsideTheDocumentIsRefused() throws Exception {
        try (PdfDocument pdf = PdfDocument.open(Path.of("samples/nitrox-basics.pdf"))) {
            assertThatThrownBy(() -> pdf.render(3, 72, null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("page 3 is not in the document: it has 2 page(s)");
            assertThatThrownBy(() -> pdf.render(0, 72, null)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theTitleFallsBackToTheFileName() throws Exception {
        Path file = dir.resolve("untitled-manual.pdf");
        TestPdfs.simple(file, "Hello divers.");
        try (PdfDocument pdf = PdfDocument.open(file)) {
            assertThat(pdf.info().title()).isEqualTo("untitled-manual");
        }
    }

    @Test
    void refusesFilesThatAreNotPdfsSayingWhatTheyAre() throws Exception {
        assertReason(write("empty.pdf", new byte[0]), "empty file: it has 0 bytes");
        assertReason(write("image.pdf", new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3}), "not a PDF: the file starts with PNG data");
        assertReason(write("photo.pdf", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0}), "not a PDF: the file starts with JPEG data");
        assertReason(write("page.pdf", "<!DOCTYPE html><html>".getBytes(StandardCharsets.UTF_8)),
                "not a PDF: the file starts with HTML (a web page saved with a .pdf name?)");
        assertReason(write("notes.pdf", "just some notes".getBytes(StandardCharsets.UTF_8)), "not a PDF: the file starts with plain text");
        assertReason(write("letter.pdf", new byte[] {'P', 'K', 3, 4, 0}),
                "not a PDF: the file starts with ZIP data (a Word, OpenDocument or ZIP file?)");
    }

    @Test
    void refusesEncryptedTruncatedAndCorruptPdfs() throws Exception {
        Path encrypted = dir.resolve("encrypted.pdf");
        TestPdfs.encrypted(encrypted);
        assertReason(encrypted, "encrypted: a password is required to open it");

        byte[] valid = Files.readAllBytes(Path.of("samples/nitrox-basics.pdf"));
        assertThatThrownBy(() -> PdfDocument.open(write("cut.pdf", Arrays.copyOf(valid, valid.length - 200))))
                .isInstanceOf(UnreadableDocumentException.class).hasMessageStartingWith("truncated: ");

        Path corrupt = write("corrupt.pdf", "%PDF-1.7\nnonsense\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> PdfDocument.open(corrupt)).isInstanceOf(UnreadableDocumentException.class)
                .hasMessageStartingWith("corrupt: ");
    }

    @Test
    void checksumIsTheSha256OfTheBytes() throws Exception {
        Path file = write("abc.pdf", "abc".getBytes(StandardCharsets.US_ASCII));
        SourceFile source = SourceFile.read(file);
        assertThat(source.checksum()).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(source.size()).isEqualTo(3);
        assertThat(source.name()).isEqualTo("abc.pdf");
    }

    private Path write(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }

    private static void assertReason(Path file, String reason) {
        assertThatThrownBy(() -> PdfDocument.open(file)).isInstanceOf(UnreadableDocumentException.class).hasMessage(reason);
    }
}
