package io.vnettracer.probe.script;

/**
 * A cursor over one line of a script: words, quoted strings and the rest of the line, with the
 * column of each. A {@code #} outside quotes starts a comment that runs to the end of the line.
 */
final class ScriptLine {
    private final String source;
    private final int lineNumber;
    private final String text;
    private int pos;

    ScriptLine(String source, int lineNumber, String text) {
        this.source = source;
        this.lineNumber = lineNumber;
        this.text = text;
    }

    /** A piece of the line and the column (from 1) it starts at. */
    record Token(String text, int column) {}

    /** True when nothing but blanks and a comment is left. */
    boolean atEnd() {
        skipBlanks();
        return pos >= text.length() || text.charAt(pos) == '#';
    }

    /** The column (from 1) of the next token, or one past the last character. */
    int column() {
        skipBlanks();
        return pos + 1;
    }

    /** The next word (up to a blank or a comment), or an error naming what was expected. */
    Token word(String expected) {
        if (atEnd()) {
            throw error(column(), "expected " + expected + " but the line ends");
        }
        int start = pos;
        if (text.charAt(pos) == '"') {
            throw error(start + 1, "expected " + expected + ", not a quoted string");
        }
        while (pos < text.length() && !isBlank(text.charAt(pos)) && text.charAt(pos) != '#') {
            pos++;
        }
        return new Token(text.substring(start, pos), start + 1);
    }

    /**
     * A double-quoted string ({@code \"} and {@code \\} escape) when the next character is a
     * quote, else the rest of the line up to a comment, stripped; either must be non-empty.
     */
    Token quotedOrRest(String expected) {
        if (atEnd()) {
            throw error(column(), "expected " + expected + " but the line ends");
        }
        int start = pos;
        if (text.charAt(pos) != '"') {
            int end = text.indexOf('#', pos);
            end = end < 0 ? text.length() : end;
            pos = end;
            return new Token(text.substring(start, end).strip(), start + 1);
        }
        StringBuilder value = new StringBuilder();
        pos++;
        while (true) {
            if (pos >= text.length()) {
                throw error(start + 1, "no closing '\"' for the quote opened here");
            }
            char c = text.charAt(pos++);
            if (c == '"') {
                break;
            }
            if (c == '\\' && pos < text.length() && (text.charAt(pos) == '"' || text.charAt(pos) == '\\')) {
                c = text.charAt(pos++);
            }
            value.append(c);
        }
        if (value.toString().isBlank()) {
            throw error(start + 1, "expected " + expected + ", not an empty string");
        }
        if (pos < text.length() && !isBlank(text.charAt(pos)) && text.charAt(pos) != '#') {
            throw error(pos + 1, "expected a blank after the closing '\"'");
        }
        return new Token(value.toString(), start + 1);
    }

    /** Fails unless only blanks and a comment are left. */
    void expectEnd(String after) {
        if (!atEnd()) {
            throw error(column(), "unexpected '" + peekWord() + "' after " + after);
        }
    }

    ScriptException error(int column, String problem) {
        return new ScriptException(source, lineNumber, column, problem);
    }

    private String peekWord() {
        int end = pos;
        while (end < text.length() && !isBlank(text.charAt(end))) {
            end++;
        }
        return text.substring(pos, end);
    }

    private void skipBlanks() {
        while (pos < text.length() && isBlank(text.charAt(pos))) {
            pos++;
        }
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\r';
    }
}
