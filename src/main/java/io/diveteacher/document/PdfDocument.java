package io.diveteacher.document;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.NoSuchElementException;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.List;

import javax.imageio.ImageIO;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.encryption.InvalidPasswordException;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;

/**
 * An open PDF whose pages are extracted one at a time. The document is loaded with a temp-file stream
 * cache and pages are parsed lazily by PDFBox, so memory stays flat however many pages there are.
 */
public final class PdfDocument implements AutoCloseable {

    private static final int SNIFF_BYTES = 1024;
    /** Pages extracted in one pass: few enough to keep memory flat, many enough to walk the page tree rarely. */
    static final int PAGES_AT_ONCE = 32;

    private final PDDocument document;
    private final DocumentInfo info;
    private final PageTextStripper stripper;

    private PdfDocument(PDDocument document, String fileName) throws IOException {
        this.document = document;
        PDDocumentInformation meta = document.getDocumentInformation();
        String title = blankToNull(meta.getTitle());
        this.info = new DocumentInfo(title != null ? title : stripExtension(fileName), blankToNull(meta.getAuthor()),
                document.getNumberOfPages());
        this.stripper = new PageTextStripper();
    }

    /**
     * Opens a PDF after checking that it is one: empty, non-PDF, truncated, encrypted and corrupt files are
     * refused with a reason a person can act on.
     */
    public static PdfDocument open(Path path) throws UnreadableDocumentException {
        String fileName = path.getFileName().toString();
        checkLooksLikePdf(path);
        try {
            PDDocument document = Loader.loadPDF(new RandomAccessReadBufferedFile(path.toFile()), "",
                    IOUtils.createTempFileOnlyStreamCache());
            if (document.getNumberOfPages() == 0) {
                document.close();
                throw new UnreadableDocumentException("corrupt: the PDF has no pages");
            }
            return new PdfDocument(document, fileName);
        } catch (InvalidPasswordException e) {
            throw new UnreadableDocumentException("encrypted: a password is required to open it");
        } catch (IOException e) {
            throw new UnreadableDocumentException("corrupt: the PDF cannot be parsed (" + e.getMessage() + ")", e);
        }
    }

    public DocumentInfo info() {
        return info;
    }

    /** Text of one page (1-based). */
    public PageText page(int number) throws UnreadableDocumentException {
        try {
            return stripper.pages(document, number, number).getFirst();
        } catch (IOException | RuntimeException e) {
            throw new UnreadableDocumentException("corrupt: page " + number + " cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Renders a page (1-based) as a PNG at {@code dpi}, with {@code highlight} (a passage of its text; null or
     * blank for none) marked by translucent boxes where PDFBox finds its glyphs.
     */
    public PageImage render(int number, int dpi, String highlight) throws UnreadableDocumentException {
        if (number < 1 || number > info.pages()) {
            throw new IllegalArgumentException("page " + number + " is not in the document: it has " + info.pages()
                    + " page(s)");
        }
        try {
            BufferedImage image = new PDFRenderer(document).renderImageWithDPI(number - 1, dpi, ImageType.RGB);
            List<Rectangle2D> boxes = highlight == null || highlight.isBlank() ? List.of()
                    : PassageLocator.locate(document, number, highlight);
            if (!boxes.isEmpty()) {
                Graphics2D g = image.createGraphics();
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                double scale = dpi / 72.0;
                for (Rectangle2D box : boxes) {
                    // A little room around the glyphs, as a highlighter pen would leave.
                    var mark = new java.awt.geom.RoundRectangle2D.Double((box.getX() - 1.5) * scale,
                            (box.getY() - 1.5) * scale, (box.getWidth() + 3) * scale, (box.getHeight() + 3) * scale,
                            3 * scale, 3 * scale);
                    g.setColor(new Color(255, 214, 0, 96));
                    g.fill(mark);
                    g.setColor(new Color(222, 150, 0, 170));
                    g.setStroke(new BasicStroke((float) Math.max(1, scale * 0.6)));
                    g.draw(mark);
                }
                g.dispose();
            }
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            ImageIO.write(image, "png", png);
            Rectangle2D area = null;
            if (!boxes.isEmpty()) {
                Rectangle2D union = (Rectangle2D) boxes.getFirst().clone();
                boxes.forEach(union::add);
                var size = document.getPage(number - 1).getCropBox();
                area = new Rectangle2D.Double(union.getX() / size.getWidth(), union.getY() / size.getHeight(),
                        union.getWidth() / size.getWidth(), union.getHeight() / size.getHeight());
            }
            return new PageImage(png.toByteArray(), boxes.size(), area);
        } catch (IOException | RuntimeException e) {
            throw new UnreadableDocumentException("corrupt: page " + number + " cannot be rendered (" + e.getMessage()
                    + ")", e instanceof IOException io ? io : new IOException(e));
        }
    }

    /**
     * Pages in order, extracted lazily up to {@link #PAGES_AT_ONCE} at a time (see {@link PageTextStripper}); an unreadable
     * page surfaces as {@link UncheckedDocumentException} once the pages before it have been handed out.
     */
    public Iterator<PageText> pages() {
        return new Iterator<>() {
            private int next = 1;
            private final Deque<PageText> extracted = new ArrayDeque<>();
            /** After a range failed: the pages up to this one are extracted one at a time. */
            private int singly;

            @Override
            public boolean hasNext() {
                return !extracted.isEmpty() || next <= info.pages();
            }

            @Override
            public PageText next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                if (extracted.isEmpty()) {
                    // 1, 2, 4 ... pages at first, so that the first pages reach the chunker at once.
                    int last = Math.min(info.pages(), next + Math.min(PAGES_AT_ONCE, next) - 1);
                    if (next > singly) {
                        try {
                            extracted.addAll(stripper.pages(document, next, last));
                            next = last + 1;
                        } catch (IOException | RuntimeException e) {
                            singly = last; // to hand out the pages before the unreadable one, and name it
                        }
                    }
                    if (extracted.isEmpty()) {
                        try {
                            return page(next++);
                        } catch (UnreadableDocumentException e) {
                            throw new UncheckedDocumentException(e);
                        }
                    }
                }
                return extracted.poll();
            }
        };
    }

    @Override
    public void close() {
        try {
            document.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails with the reason when the file is empty, not a PDF by its content, or cut off before its end marker. */
    public static void checkLooksLikePdf(Path path) throws UnreadableDocumentException {
        long size;
        byte[] head;
        byte[] tail;
        try {
            size = Files.size(path);
            if (size == 0) {
                throw new UnreadableDocumentException("empty file: it has 0 bytes");
            }
            try (InputStream in = Files.newInputStream(path)) {
                head = in.readNBytes(SNIFF_BYTES);
            }
            try (var channel = Files.newByteChannel(path)) {
                long start = Math.max(0, size - SNIFF_BYTES);
                channel.position(start);
                var buffer = java.nio.ByteBuffer.allocate((int) (size - start));
                while (buffer.hasRemaining() && channel.read(buffer) > 0) {
                    // read the tail fully
                }
                tail = buffer.array();
            }
        } catch (IOException e) {
            throw new UnreadableDocumentException("cannot read the file: " + e.getMessage(), e);
        }
        if (indexOf(head, "%PDF-") < 0) {
            throw new UnreadableDocumentException("not a PDF: the file starts with " + describe(head));
        }
        if (indexOf(tail, "%%EOF") < 0) {
            throw new UnreadableDocumentException(
                    "truncated: the file ends before the PDF end marker (%%EOF); it was probably cut off while copying or downloading");
        }
    }

    static String describe(byte[] head) {
        if (startsWith(head, new byte[] {(byte) 0x89, 'P', 'N', 'G'})) {
            return "PNG data";
        }
        if (startsWith(head, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF})) {
            return "JPEG data";
        }
        if (startsWith(head, "GIF8".getBytes(StandardCharsets.US_ASCII))) {
            return "GIF data";
        }
        if (startsWith(head, new byte[] {'P', 'K', 3, 4})) {
            return "ZIP data (a Word, OpenDocument or ZIP file?)";
        }
        if (startsWith(head, new byte[] {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0})) {
            return "Microsoft Office (OLE) data";
        }
        String text = new String(head, 0, Math.min(head.length, 64), StandardCharsets.UTF_8).strip().toLowerCase();
        if (text.startsWith("<!doctype html") || text.startsWith("<html")) {
            return "HTML (a web page saved with a .pdf name?)";
        }
        boolean printable = true;
        for (int i = 0; i < Math.min(head.length, 64); i++) {
            int b = head[i] & 0xFF;
            if (b < 0x09 || (b > 0x0D && b < 0x20)) {
                printable = false;
                break;
            }
        }
        return printable ? "plain text" : "unrecognised binary data";
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        return data.length >= prefix.length && Arrays.equals(Arrays.copyOf(data, prefix.length), prefix);
    }

    private static int indexOf(byte[] data, String marker) {
        byte[] m = marker.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int i = 0; i <= data.length - m.length; i++) {
            for (int j = 0; j < m.length; j++) {
                if (data[i + j] != m[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String stripExtension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    /** Carries an {@link UnreadableDocumentException} through an {@link Iterator}. */
    public static final class UncheckedDocumentException extends RuntimeException {
        public UncheckedDocumentException(UnreadableDocumentException cause) {
            super(cause.getMessage(), cause);
        }

        @Override
        public synchronized UnreadableDocumentException getCause() {
            return (UnreadableDocumentException) super.getCause();
        }
    }
}
