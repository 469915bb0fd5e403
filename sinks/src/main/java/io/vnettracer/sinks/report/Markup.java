package io.vnettracer.sinks.report;

/** Escaping for text and attribute values of HTML and inline SVG. */
final class Markup {
    private Markup() {}

    static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** An id usable in a URL fragment: letters, digits and dashes. */
    static String anchor(String id) {
        return id.replaceAll("[^A-Za-z0-9_-]+", "-");
    }
}
