package io.vnettracer.sinks.report;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's colors. The two tools have one color each in every chart; a segment keeps its
 * color (by its "from → to" name) across every chart and table of the report, in order of first
 * appearance, cycling after {@link #SEGMENT_COLORS} (colors repeat only past twelve segments).
 */
final class Palette {
    static final String SOCKPERF = "#f28e2b";
    static final String TRACER = "#4e79a7";
    /** What belongs to no tool, case or segment: a legend's sample of a line style, an end-to-end bar. */
    static final String NEUTRAL = "#5b6474";
    /** Hues away from the tools' orange and blue, neighbours far apart, grey last (it reads as "nothing"). */
    static final List<String> SEGMENT_COLORS = List.of(
            "#59a14f", "#e15759", "#76b7b2", "#b07aa1", "#edc948", "#9c755f",
            "#ff9da7", "#499894", "#8cd17d", "#d37295", "#86bcb6", "#bab0ac");

    /**
     * A case's curves and dots, by its place in its study: saturated hues apart from one another, from
     * the tools' orange and blue and from the page's ink; the tools are told apart by the line's
     * dashes instead, so no curve takes a tool's color.
     */
    static final List<String> CASE_COLORS = List.of("#7b3294", "#1b9e77", "#e7298a", "#a6761d", "#66a61e", "#555555");

    private final Map<String, String> bySegment = new LinkedHashMap<>();

    String segment(String label) {
        return bySegment.computeIfAbsent(label, l -> SEGMENT_COLORS.get(bySegment.size() % SEGMENT_COLORS.size()));
    }

    static String caseColor(int index) {
        return CASE_COLORS.get(index % CASE_COLORS.size());
    }

    /** Black or white, whichever reads better on {@code hex} (relative luminance, WCAG). */
    static String textOn(String hex) {
        int rgb = Integer.parseInt(hex.substring(1), 16);
        double luminance = 0.2126 * linear((rgb >> 16) & 0xff) + 0.7152 * linear((rgb >> 8) & 0xff)
                + 0.0722 * linear(rgb & 0xff);
        return luminance > 0.179 ? "#111" : "#fff";
    }

    private static double linear(int channel) {
        double c = channel / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
}
