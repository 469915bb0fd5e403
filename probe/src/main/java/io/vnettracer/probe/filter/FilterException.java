package io.vnettracer.probe.filter;

/**
 * A filter expression that cannot be compiled, with where and why: the pass that refused it, the
 * 1-based column, the offending token and what was expected there. {@link #getMessage()} reads
 * {@code filter error at column 10: expected a port number after 'port', found 'foo'};
 * {@link #render()} adds the expression with a caret under the column.
 */
public final class FilterException extends IllegalArgumentException {
    /** The pass that refused the expression. */
    public enum Pass {
        /** The lexer and the parser: malformed tokens, numbers, addresses, operands, parentheses. */
        SYNTAX,
        /** The checker: values out of range. */
        CHECK,
        /** A size limit of {@link FilterLimits}: length, primitives, nesting, instructions, registers. */
        LIMIT,
        /** A primitive the probe's hook cannot evaluate: link-layer fields where packets start at IP. */
        HOOK
    }

    /** Characters of the expression shown on each side of the column by {@link #render()}. */
    private static final int RENDER_CONTEXT = 60;

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

    /**
     * The message, then the expression with a caret under the offending column. A long expression
     * is cut to {@value #RENDER_CONTEXT} characters on each side of the column, with "..." where cut.
     */
    public String render() {
        int at = Math.max(0, Math.min(column - 1, expression.length()));
        int from = Math.max(0, at - RENDER_CONTEXT);
        int to = Math.min(expression.length(), at + RENDER_CONTEXT);
        String before = from > 0 ? "..." : "";
        String shown = before + expression.substring(from, to) + (to < expression.length() ? "..." : "");
        return getMessage() + "\n  " + shown + "\n  " + " ".repeat(before.length() + at - from) + "^";
    }
}
