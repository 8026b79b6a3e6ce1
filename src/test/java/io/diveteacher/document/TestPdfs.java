package io.diveteacher.document;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.TimeZone;

import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.documentinterchange.markedcontent.PDPropertyList;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;

/**
 * PDFs for tests and for samples/: manuals written from a small text format (a header, then pages
 * separated by a line holding {@code \f}; paragraphs separated by blank lines; a short line without a
 * full stop is a heading), and the broken kinds of file the reader must refuse.
 */
public final class TestPdfs {

    private static final PDType1Font BODY = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    private static final PDType1Font HEADING = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    private static final float MARGIN = 60;
    private static final float WIDTH = PDRectangle.A4.getWidth() - 2 * MARGIN;

    private TestPdfs() {
    }

    /** Writes a manual from the text format described above. */
    public static void manual(Path source, Path target) throws IOException {
        String text = Files.readString(source);
        String[] parts = text.split("\n---\n", 2);
        String title = null;
        String author = null;
        for (String line : parts[0].split("\n")) {
            if (line.startsWith("title:")) {
                title = line.substring(6).strip();
            } else if (line.startsWith("author:")) {
                author = line.substring(7).strip();
            }
        }
        List<List<String>> pages = new ArrayList<>();
        for (String page : parts[1].split("\n\\\\f\n")) {
            pages.add(Arrays.stream(page.strip().split("\n\\s*\n")).map(String::strip).toList());
        }
        try (PDDocument document = new PDDocument()) {
            PDDocumentInformation info = document.getDocumentInformation();
            info.setTitle(title);
            info.setAuthor(author);
            // Fixed dates keep regenerated samples identical.
            Calendar date = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
            date.setTimeInMillis(1_767_225_600_000L);
            info.setCreationDate(date);
            info.setModificationDate(date);
            for (List<String> paragraphs : pages) {
                PDPage page = new PDPage(PDRectangle.A4);
                document.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                    float y = PDRectangle.A4.getHeight() - MARGIN;
                    for (String paragraph : paragraphs) {
                        boolean heading = !paragraph.contains("\n") && paragraph.length() < 60 && !paragraph.endsWith(".");
                        PDType1Font font = heading ? HEADING : BODY;
                        float size = heading ? 14 : 11;
                        y -= heading ? 10 : 0;
                        y = show(content, wrap(paragraph.replace('\n', ' '), font, size), font, size, y) - 10;
                    }
                }
            }
            document.save(target.toFile());
        }
    }

    /** A document of {@code pages} pages of prose, for size and memory tests. */
    public static void manyPages(Path target, int pages) throws IOException {
        manyPages(target, pages, 6);
    }

    /** As {@link #manyPages(Path, int)}, with {@code paragraphs} per page (12: about as dense as a real manual). */
    public static void manyPages(Path target, int pages, int paragraphs) throws IOException {
        try (PDDocument document = new PDDocument()) {
            for (int i = 1; i <= pages; i++) {
                PDPage page = new PDPage(PDRectangle.A4);
                document.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                    float y = PDRectangle.A4.getHeight() - MARGIN;
                    for (int p = 0; p < paragraphs; p++) {
                        String paragraph = "Page " + i + " paragraph " + p + ". The diver checks the regulator and "
                                + "the buoyancy compensator before descending to 18 m with a buddy. The ascent rate "
                                + "stays below 9 m per minute and the safety stop lasts 3 minutes at 5 m.";
                        y = show(content, wrap(paragraph, BODY, 11), BODY, 11, y) - 10;
                    }
                }
            }
            document.save(target.toFile());
        }
    }

    private static final String[] SUBJECTS = {"The diver", "Every buddy pair", "An instructor", "The dive computer",
            "A student", "The team", "The regulator", "Each cylinder", "The surface support", "A careful diver"};
    private static final String[] VERBS = {"checks", "monitors", "plans", "records", "limits", "controls", "reviews",
            "adjusts", "signals", "measures", "explains", "compares"};
    private static final String[] OBJECTS = {"the ascent rate", "the remaining gas", "the no-stop limit",
            "the safety stop", "the buoyancy compensator", "the depth gauge", "the surface interval",
            "the partial pressure of oxygen", "the reserve pressure", "the dive plan", "the weighting", "the buddy's air",
            "the decompression obligation", "the water temperature", "the exit point"};
    private static final String[] DETAILS = {"before every descent", "at 5 m for three minutes", "while ascending slowly",
            "with the buddy in sight", "on every repetitive dive", "when the current changes", "after a long dive",
            "below 18 m", "during the briefing", "as the tables require", "in cold water", "without exception"};

    /**
     * A manual of {@code pages} pages of varied prose (headings now and then, sentences drawn from a diving vocabulary
     * with the seed), about as dense as a real one: some 450 to 650 tokens a page.
     */
    public static void variedManual(Path target, int pages, long seed) throws IOException {
        java.util.Random random = new java.util.Random(seed);
        try (PDDocument document = new PDDocument()) {
            for (int i = 1; i <= pages; i++) {
                PDPage page = new PDPage(PDRectangle.A4);
                document.addPage(page);
                try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                    float y = PDRectangle.A4.getHeight() - MARGIN;
                    if (i % 4 == 1) {
                        y = show(content, List.of("Section " + (i / 4 + 1) + " " + OBJECTS[random.nextInt(OBJECTS.length)]
                                .substring(4)), HEADING, 14, y - 10) - 10;
                    }
                    int words = 0;
                    int wordsOnPage = 330 + random.nextInt(160);
                    while (words < wordsOnPage && y > MARGIN + 60) {
                        StringBuilder paragraph = new StringBuilder();
                        int sentences = 2 + random.nextInt(4);
                        for (int s = 0; s < sentences; s++) {
                            String sentence = SUBJECTS[random.nextInt(SUBJECTS.length)] + " "
                                    + VERBS[random.nextInt(VERBS.length)] + " " + OBJECTS[random.nextInt(OBJECTS.length)]
                                    + " " + DETAILS[random.nextInt(DETAILS.length)]
                                    + (random.nextBoolean() ? ", and " + OBJECTS[random.nextInt(OBJECTS.length)]
                                            + " stays within " + (random.nextInt(40) + 3) + " units" : "")
                                    + " (rule " + i + "." + s + ").";
                            paragraph.append(paragraph.isEmpty() ? "" : " ").append(sentence);
                            words += sentence.split(" ").length;
                        }
                        y = show(content, wrap(paragraph.toString(), BODY, 10), BODY, 10, y) - 8;
                    }
                }
            }
            document.save(target.toFile());
        }
    }

    /** A PDF that needs a user password to open. */
    public static void encrypted(Path target) throws IOException {
        try (PDDocument document = new PDDocument()) {
            addTextPage(document, "Secret dive site coordinates.");
            StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-secret", "user-secret", new AccessPermission());
            policy.setEncryptionKeyLength(128);
            document.protect(policy);
            document.save(target.toFile());
        }
    }

    /** A PDF whose pages are images only (like a scan without OCR). */
    public static void imageOnly(Path target) throws IOException {
        try (PDDocument document = new PDDocument()) {
            for (int i = 0; i < 2; i++) {
                PDPage page = new PDPage(PDRectangle.A4);
                document.addPage(page);
                BufferedImage image = new BufferedImage(200, 100, BufferedImage.TYPE_INT_RGB);
                image.getGraphics().drawString("scanned text", 20, 50);
                var xobject = LosslessFactory.createFromImage(document, image);
                try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                    content.drawImage(xobject, MARGIN, 400, 400, 200);
                }
            }
            document.save(target.toFile());
        }
    }

    /** A valid single-page PDF with this text. */
    public static void simple(Path target, String text) throws IOException {
        try (PDDocument document = new PDDocument()) {
            addTextPage(document, text);
            document.save(target.toFile());
        }
    }

    private static void addTextPage(PDDocument document, String text) throws IOException {
        PDPage page = new PDPage(PDRectangle.A4);
        document.addPage(page);
        try (PDPageContentStream content = new PDPageContentStream(document, page)) {
            show(content, wrap(text, BODY, 11), BODY, 11, PDRectangle.A4.getHeight() - MARGIN);
        }
    }

    /** Shows lines from height {@code y} down; returns the height below the last line. */
    private static float show(PDPageContentStream content, List<String> lines, PDType1Font font, float size, float y)
            throws IOException {
        for (String line : lines) {
            content.beginText();
            content.setFont(font, size);
            content.newLineAtOffset(MARGIN, y);
            content.showText(line);
            content.endText();
            y -= size * 1.4f;
        }
        return y;
    }

    private static List<String> wrap(String text, PDType1Font font, float size) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (font.getStringWidth(candidate) / 1000 * size > WIDTH && !line.isEmpty()) {
                lines.add(line.toString());
                line.setLength(0);
                line.append(word);
            } else {
                line.setLength(0);
                line.append(candidate);
            }
        }
        if (!line.isEmpty()) {
            lines.add(line.toString());
        }
        return lines;
    }

    /**
     * A page as some producers write bold text: every line drawn twice, the second time a third of a point to the
     * right ("fake bold"), and one line whose glyphs carry an /ActualText (a ligature spelt out), drawn twice too.
     */
    public static void fakeBold(Path target, List<String> lines) throws IOException {
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                float y = PDRectangle.A4.getHeight() - MARGIN;
                for (String line : lines) {
                    for (float offset : new float[] {0, 0.3f}) {
                        content.beginText();
                        content.setFont(HEADING, 12);
                        content.newLineAtOffset(MARGIN + offset, y);
                        content.showText(line);
                        content.endText();
                    }
                    y -= 12 * 1.6f;
                }
                COSDictionary actual = new COSDictionary();
                actual.setString(COSName.ACTUAL_TEXT, "office");
                for (float offset : new float[] {0, 0.3f}) {
                    content.beginMarkedContent(COSName.getPDFName("Span"), PDPropertyList.create(actual));
                    content.beginText();
                    content.setFont(BODY, 12);
                    content.newLineAtOffset(MARGIN + offset, y);
                    content.showText("offce");
                    content.endText();
                    content.endMarkedContent();
                }
            }
            document.save(target.toFile());
        }
    }

    /** Regenerates samples/ from src/test/resources/samples-src (run from the project directory). */
    public static void main(String[] args) throws IOException {
        Path sources = Path.of("src/test/resources/samples-src");
        Path samples = Path.of("samples");
        Files.createDirectories(samples);
        try (var files = Files.list(sources)) {
            for (Path source : files.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
                String name = source.getFileName().toString().replace(".txt", ".pdf");
                manual(source, samples.resolve(name));
                System.out.println("wrote samples/" + name);
            }
        }
    }
}
