package io.vnettracer.sinks.report;

import static io.vnettracer.sinks.report.Figures.coordinate;
import static io.vnettracer.sinks.report.Markup.escape;

/**
 * Writes one inline SVG drawing. Shapes may carry a {@code <title>}: browsers show it as a tooltip,
 * without any script. Classes refer to the report's stylesheet (fonts and strokes live there).
 */
final class Svg {
    private final StringBuilder out = new StringBuilder(8192);

    /** @param label what the drawing shows, for screen readers ({@code aria-label}) */
    Svg(double width, double height, String cssClass, String label) {
        // No xmlns: an HTML parser puts <svg> in the SVG namespace by itself, and the page stays free of URLs.
        out.append("<svg class=\"").append(cssClass)
                .append("\" viewBox=\"0 0 ").append(coordinate(width)).append(' ').append(coordinate(height))
                .append("\" role=\"img\" aria-label=\"").append(escape(label)).append("\">\n");
    }

    Svg rect(double x, double y, double width, double height, String fill, String title) {
        out.append("<rect x=\"").append(coordinate(x)).append("\" y=\"").append(coordinate(y))
                .append("\" width=\"").append(coordinate(Math.max(0, width)))
                .append("\" height=\"").append(coordinate(Math.max(0, height)))
                .append("\" fill=\"").append(fill).append('"');
        return closeWithTitle("rect", title);
    }

    Svg outline(double x, double y, double width, double height, String cssClass) {
        out.append("<rect class=\"").append(cssClass).append("\" x=\"").append(coordinate(x)).append("\" y=\"")
                .append(coordinate(y)).append("\" width=\"").append(coordinate(width)).append("\" height=\"")
                .append(coordinate(height)).append("\"/>\n");
        return this;
    }

    Svg line(double x1, double y1, double x2, double y2, String cssClass) {
        out.append("<line class=\"").append(cssClass).append("\" x1=\"").append(coordinate(x1))
                .append("\" y1=\"").append(coordinate(y1)).append("\" x2=\"").append(coordinate(x2))
                .append("\" y2=\"").append(coordinate(y2)).append("\"/>\n");
        return this;
    }

    /** @param anchor start, middle or end */
    Svg text(double x, double y, String anchor, String cssClass, String text) {
        return text(x, y, anchor, cssClass, null, text);
    }

    Svg text(double x, double y, String anchor, String cssClass, String fill, String text) {
        out.append("<text x=\"").append(coordinate(x)).append("\" y=\"").append(coordinate(y))
                .append("\" text-anchor=\"").append(anchor).append("\" class=\"").append(cssClass).append('"');
        if (fill != null) {
            out.append(" fill=\"").append(fill).append('"');
        }
        out.append('>').append(escape(text)).append("</text>\n");
        return this;
    }

    /** Text turned a quarter to the left around its own position (a vertical axis title). */
    Svg verticalText(double x, double y, String cssClass, String text) {
        out.append("<text x=\"").append(coordinate(x)).append("\" y=\"").append(coordinate(y))
                .append("\" text-anchor=\"middle\" class=\"").append(cssClass).append("\" transform=\"rotate(-90 ")
                .append(coordinate(x)).append(' ').append(coordinate(y)).append(")\">").append(escape(text))
                .append("</text>\n");
        return this;
    }

    /**
     * One path of many points, a curve or a cloud of dots: one element however many points, so a
     * chart stays small; {@code data-points} says how many points it draws, for tests and readers.
     */
    Svg path(String d, String cssClass, String stroke, int points, String title) {
        out.append("<path class=\"").append(cssClass).append("\" stroke=\"").append(stroke)
                .append("\" data-points=\"").append(points).append("\" d=\"").append(d).append('"');
        return closeWithTitle("path", title);
    }

    /** Path data through these (x, y) points: a polyline, or with {@code dots} a zero-length stroke at each. */
    static String pathData(double[][] xy, boolean dots) {
        StringBuilder d = new StringBuilder(xy.length * 14);
        for (int i = 0; i < xy.length; i++) {
            d.append(dots || i == 0 ? 'M' : 'L').append(coordinate(xy[i][0])).append(' ').append(coordinate(xy[i][1]));
            if (dots) {
                d.append("h0");
            }
        }
        return d.toString();
    }

    private Svg closeWithTitle(String element, String title) {
        if (title == null) {
            out.append("/>\n");
        } else {
            out.append("><title>").append(escape(title)).append("</title></").append(element).append(">\n");
        }
        return this;
    }

    String finish() {
        return out.append("</svg>\n").toString();
    }
}
