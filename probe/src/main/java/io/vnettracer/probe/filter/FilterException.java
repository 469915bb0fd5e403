package io.vnettracer.probe.filter;

/**
 * A filter expression that cannot be compiled, with where and why: the pass that refused it, the
 * 1-based column, the offending token and what was expected there. {@link #getMessage()} reads
 * {@code filter error at column 10: expected a port number after 'port', found 'foo'};
 * {@link #render()} adds the expression with a caret under the column.
 */
public final class FilterException extends IllegalArgumentException {
    /** The pass that refused the expression. */
    public enum Pass { SYNTAX, CHECK }

    private final Pass pass;
    private final String expression;
    private final int column;
    private final String token;
    private final String problem;

    FilterException(Pass pass, String expression, int column, String token, String problem) {
        super("filter error at column " + column + ": " + problem);
        this.pass = pass;
        this.expression = expression;
        this.column = column;
        this.token = token;
        this.problem = problem;
    }

    public Pass pass() {
        return pass;
    }

    public String expression() {
        return expression;
    }

    /** 1-based column of the offending token; one past the end for a missing token. */
    public int column() {
        return column;
    }

    /** The offending token as written, or {@code "end of expression"}. */
    public String token() {
        return token;
    }

    /** The message without its position prefix. */
    public String problem() {
        return problem;
    }

    /** The message, then the expression with a caret under the offending column. */
    public String render() {
        return getMessage() + "\n  " + expression + "\n  " + " ".repeat(Math.max(0, column - 1)) + "^";
    }
}
