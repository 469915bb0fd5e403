package io.vnettracer.probe.script;

/**
 * A tracing script that cannot be read: names the file, the line and the column (both from 1)
 * and what was expected there, as compilers do: {@code trace.vnt:4:17: ...}.
 */
public final class ScriptException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;
    private final String problem;

    public ScriptException(String source, int line, int column, String problem) {
        super(source + ":" + line + ":" + column + ": " + problem);
        this.source = source;
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    /** The file name (or another label for text that came from elsewhere). */
    public String source() {
        return source;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** The message without the position. */
    public String problem() {
        return problem;
    }
}
