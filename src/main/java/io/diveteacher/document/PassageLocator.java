package io.diveteacher.document;

import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.text.TextPosition;

/**
 * Finds where a passage of text sits on a page: the boxes, one per line, around the glyphs that spell it, in PDF
 * points from the page's top left. The page's text and the passage are compared with whitespace collapsed and case
 * ignored, since a chunk's text went through extraction (line breaks, hyphenation) on its way to the graph. A passage
 * found only in part (it runs on to the next page, say) is marked as far as its sentences are found here.
 */
final class PassageLocator {

    private static final int MIN_MATCH = 12;

    private PassageLocator() {
    }

    static List<Rectangle2D> locate(PDDocument document, int page, String passage) throws IOException {
        Result glyphs = Glyphs.of(document, page);
        String wanted = normalise(passage.replace("…", " ")).strip();
        if (wanted.length() < 3 || glyphs.text.isEmpty()) {
            return List.of();
        }
        List<int[]> ranges = new ArrayList<>();
        int at = glyphs.text.indexOf(wanted);
        if (at >= 0) {
            ranges.add(new int[] {at, at + wanted.length()});
        } else {
            // Sentence by sentence: the parts of the passage that are on this page.
            for (String sentence : wanted.split("(?<=[.!?;:])\\s+")) {
                String part = sentence.strip();
                int found = part.length() >= MIN_MATCH ? glyphs.text.indexOf(part) : -1;
                if (found >= 0) {
                    ranges.add(new int[] {found, found + part.length()});
                }
            }
        }
        List<Rectangle2D> boxes = new ArrayList<>();
        for (int[] range : ranges) {
            boxes.addAll(glyphs.lineBoxes(range[0], range[1]));
        }
        return boxes;
    }

    /** Lower case, runs of whitespace as one space. */
    static String normalise(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    }

    /** The page's text with whitespace collapsed, and for each of its characters the glyph it came from (or null). */
    private static final class Glyphs extends PDFTextStripper {

        private final StringBuilder text = new StringBuilder();
        private final List<TextPosition> positions = new ArrayList<>();

        private Glyphs() {
            setSortByPosition(true);
        }

        static Result of(PDDocument document, int page) throws IOException {
            Glyphs glyphs = new Glyphs();
            glyphs.setStartPage(page);
            glyphs.setEndPage(page);
            glyphs.writeText(document, new StringWriter());
            return new Result(glyphs.text.toString(), glyphs.positions);
        }

        @Override
        protected void writeString(String string, List<TextPosition> textPositions) {
            separate();
            for (TextPosition position : textPositions) {
                for (char c : position.getUnicode().toCharArray()) {
                    if (Character.isWhitespace(c)) {
                        separate();
                    } else {
                        text.append(Character.toLowerCase(c));
                        positions.add(position);
                    }
                }
            }
        }

        @Override
        protected void writeWordSeparator() {
            separate();
        }

        @Override
        protected void writeLineSeparator() {
            separate();
        }

        private void separate() {
            if (!text.isEmpty() && text.charAt(text.length() - 1) != ' ') {
                text.append(' ');
                positions.add(null);
            }
        }
    }

    private record Result(String text, List<TextPosition> positions) {

        boolean isEmpty() {
            return text.isBlank();
        }

        int indexOf(String part) {
            return text.indexOf(part);
        }

        /** One box per line around the glyphs of characters [start, end). */
        List<Rectangle2D> lineBoxes(int start, int end) {
            List<Rectangle2D> boxes = new ArrayList<>();
            Rectangle2D line = null;
            float baseline = Float.NaN;
            for (int i = start; i < end && i < positions.size(); i++) {
                TextPosition glyph = positions.get(i);
                if (glyph == null) {
                    continue;
                }
                Rectangle2D box = new Rectangle2D.Float(glyph.getXDirAdj(), glyph.getYDirAdj() - glyph.getHeightDir(),
                        glyph.getWidthDirAdj(), glyph.getHeightDir());
                if (line != null && Math.abs(glyph.getYDirAdj() - baseline) < glyph.getHeightDir() / 2) {
                    line.add(box);
                } else {
                    if (line != null) {
                        boxes.add(line);
                    }
                    line = box;
                    baseline = glyph.getYDirAdj();
                }
            }
            if (line != null) {
                boxes.add(line);
            }
            return boxes;
        }
    }
}
