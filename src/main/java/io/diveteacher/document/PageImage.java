package io.diveteacher.document;

import java.awt.geom.Rectangle2D;

/**
 * A page rendered as a PNG, with the passage asked for marked on it.
 *
 * @param highlights how many boxes mark the passage: 0 when none was asked for or it is not on this page
 * @param area where the marks are, as shares (0 to 1) of the page's width and height from its top left, so that a
 *        viewer can scroll to them; null without marks
 */
public record PageImage(byte[] png, int highlights, Rectangle2D area) {
}
