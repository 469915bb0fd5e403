package io.vnettracer.probe.filter;

import io.vnettracer.bpf.asm.Assembler;
import java.util.Objects;

/**
 * A filter expression that passed every front-end pass (lexer, parser, checker), ready to be
 * compiled into any number of programs.
 *
 * <pre>{@code
 * Filter f = Filter.parse("tcp and dst port 443 and not net 10.0.0.0/8");
 * f.describe();   // "tcp and dst port 443 and not net 10.0.0.0/8"
 * new FilterCompiler(-64, 14, "filter").emit(assembler, f.expression(), "match", "skip");
 * }</pre>
 */
public final class Filter {
    private final String source;
    private final Expr expression;

    private Filter(String source, Expr expression) {
        this.source = source;
        this.expression = expression;
    }

    /**
     * Parses and checks {@code source}; a blank expression matches every packet.
     *
     * @throws FilterException naming the column, the token and what was expected
     */
    public static Filter parse(String source) {
        Objects.requireNonNull(source, "source");
        return new Filter(source, Checker.check(source, Parser.parse(source)));
    }

    /** The expression as the user wrote it. */
    public String source() {
        return source;
    }

    public Expr expression() {
        return expression;
    }

    public boolean matchesEverything() {
        return expression instanceof Expr.MatchAll;
    }

    /** The expression in normalized form; it parses back to the same tree. */
    public String describe() {
        return expression.describe();
    }

    /** Shortcut for {@link FilterCompiler#emit}. */
    public void emit(Assembler a, FilterCompiler compiler, String matchLabel, String noMatchLabel) {
        compiler.emit(a, expression, matchLabel, noMatchLabel);
    }

    @Override
    public String toString() {
        return matchesEverything() ? "(every packet)" : describe();
    }
}
