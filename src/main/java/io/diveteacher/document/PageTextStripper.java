package io.diveteacher.document;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.documentinterchange.markedcontent.PDMarkedContent;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/**
 * PDFBox's text extraction, with the text of each page of a range apart and two of its costs cut:
 * <ul>
 * <li>PDFBox walks every page of the document for each range it extracts, skipping those outside it, so a document
 * read a page at a time was walked once per page (quadratic: millions of page visits for a manual of a few thousand
 * pages). Extracting a range at once and cutting its text at the page boundaries ({@link #startPage},
 * {@link #endPage}) gives each page the same text for one walk per range.</li>
 * <li>PDFBox drops a glyph drawn again over itself (the "fake bold" of some producers) by keeping every glyph of the
 * page in sorted maps, which took half of its text extraction time. The same rule (same text, within a third of the
 * glyph's width across and down) is applied here with the glyphs kept in a grid of cells, where the neighbours of a
 * glyph are found by a few hash lookups instead of tree searches.</li>
 * </ul>
 * One instance per open document, used by one thread at a time (as every PDFBox stripper).
 */
final class PageTextStripper extends PDFTextStripper {

    /** Side of a cell of the duplicate glyph grid, in points: about a letter of body text wide. */
    private static final float CELL = 8f;
    /** Beyond this many cells to look in (a huge glyph), every glyph of the page is compared instead. */
    private static final int MAX_CELLS = 16;
    private static final long CELLS = 1 << 20;

    /** Glyphs shown on the current page, by cell ({@link #cellKey}). */
    private final Map<Long, List<Shown>> shown = new HashMap<>();
    /** The same glyphs in drawing order, for glyphs too large for the grid. */
    private final List<Shown> shownInOrder = new ArrayList<>();
    /**
     * Whether glyphs are inside marked content with an /ActualText, mirroring PDFBox's own state (which is private):
     * it neither drops duplicates there nor keeps the glyphs' own text.
     */
    private boolean inActualText;
    private final Deque<Boolean> markedContents = new ArrayDeque<>();

    private StringWriter out;
    private int pageNumber;
    private int pageStart;
    private final Map<Integer, String> texts = new HashMap<>();

    private record Shown(String text, float x, float y) {
    }

    PageTextStripper() throws IOException {
        // Blank line between paragraphs so the chunker can keep paragraphs together.
        setParagraphEnd("\n");
        setLineSeparator("\n");
        setSuppressDuplicateOverlappingText(false); // done here, see processTextPosition
    }

    /** The text of pages {@code from} to {@code to} (1-based, inclusive), in order; a page without content is "". */
    List<PageText> pages(PDDocument document, int from, int to) throws IOException {
        texts.clear();
        setStartPage(from);
        setEndPage(to);
        out = new StringWriter();
        writeText(document, out);
        List<PageText> pages = new ArrayList<>(to - from + 1);
        for (int number = from; number <= to; number++) {
            pages.add(new PageText(number, texts.getOrDefault(number, "")));
        }
        out = null;
        return pages;
    }

    @Override
    protected void startPage(PDPage page) throws IOException {
        super.startPage(page);
        pageNumber = getCurrentPageNo();
        pageStart = out.getBuffer().length();
        shown.clear();
        shownInOrder.clear();
    }

    @Override
    protected void endPage(PDPage page) throws IOException {
        super.endPage(page);
        texts.put(pageNumber, out.getBuffer().substring(pageStart));
    }

    @Override
    public void beginMarkedContentSequence(COSName tag, COSDictionary properties) {
        boolean actual = PDMarkedContent.create(tag, properties).getActualText() != null;
        markedContents.push(actual);
        inActualText = actual;
        super.beginMarkedContentSequence(tag, properties);
    }

    @Override
    public void endMarkedContentSequence() {
        Boolean actual = markedContents.poll();
        if (Boolean.TRUE.equals(actual)) {
            inActualText = false;
        }
        super.endMarkedContentSequence();
    }

    @Override
    protected void processTextPosition(TextPosition text) {
        if (inActualText || !drawnBefore(text)) {
            super.processTextPosition(text);
        }
    }

    /**
     * Whether a glyph with the same text was shown on this page within a third of this glyph's width across and
     * down ({@code [x - t, x + t)} by {@code [y - t, y + t)}, as PDFBox tests it); if not, it is remembered as shown.
     */
    private boolean drawnBefore(TextPosition text) {
        String unicode = text.getUnicode();
        float x = text.getX();
        float y = text.getY();
        float tolerance = text.getWidth() / unicode.length() / 3.0f;
        boolean drawn = false;
        if (tolerance > 0) {
            long fromX = cell(x - tolerance);
            long toX = cell(x + tolerance);
            long fromY = cell(y - tolerance);
            long toY = cell(y + tolerance);
            if ((toX - fromX + 1) * (toY - fromY + 1) > MAX_CELLS) {
                drawn = shownInOrder.stream().anyMatch(s -> near(s, unicode, x, y, tolerance));
            } else {
                for (long cx = fromX; cx <= toX && !drawn; cx++) {
                    for (long cy = fromY; cy <= toY && !drawn; cy++) {
                        List<Shown> cell = shown.get(cellKey(cx, cy));
                        if (cell != null) {
                            for (Shown s : cell) {
                                if (near(s, unicode, x, y, tolerance)) {
                                    drawn = true;
                                    break;
                                }
                            }
                        }
                    }
                }
            }
        }
        if (!drawn) {
            Shown glyph = new Shown(unicode, x, y);
            shown.computeIfAbsent(cellKey(cell(x), cell(y)), k -> new ArrayList<>(2)).add(glyph);
            shownInOrder.add(glyph);
        }
        return drawn;
    }

    private static boolean near(Shown s, String unicode, float x, float y, float tolerance) {
        return s.x() >= x - tolerance && s.x() < x + tolerance && s.y() >= y - tolerance && s.y() < y + tolerance
                && s.text().equals(unicode);
    }

    private static long cell(float coordinate) {
        // Clamped to millions of points off the page, so that a cell's key holds both its numbers (see cellKey).
        return Math.clamp((long) Math.floor(coordinate / CELL), -CELLS, CELLS);
    }

    /**
     * Both cell numbers, one in the high bits and one in the low: a key whose {@link Long#hashCode} spreads the cells
     * of a page over the map ({@code (x << 32) ^ y} gave the cells of each diagonal the same hash).
     */
    private static long cellKey(long cx, long cy) {
        return (cx + CELLS) * (2 * CELLS + 1) + cy + CELLS;
    }
}
