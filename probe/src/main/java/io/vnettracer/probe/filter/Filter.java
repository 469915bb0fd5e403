package io.vnettracer.probe.filter;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.probe.packet.PacketContext;
import java.util.Objects;

/**
 * A filter expression that passed every front-end pass (lexer, parser, checker), ready to be
 * compiled into any number of programs.
 *
 * <pre>{@code
 * Filter f = Filter.parse("tcp and dst port 443 and not net 10.0.0.0/8");
 * f.describe();   // "tcp and dst port 443 and not net 10.0.0.0/8"
 * f.emit(assembler, new FilterCompiler(PacketContext.TC, "filter"), "match", "skip");
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
     * Parses and checks {@code source}, and compiles it once to hold it to
     * {@link FilterLimits#MAX_INSTRUCTIONS}; a blank expression matches every packet.
     *
     * @throws FilterException naming the column, the token and what was expected, or the limit
     */
    public static Filter parse(String source) {
        Objects.requireNonNull(source, "source");
        Expr expression = Checker.check(source, Parser.parse(source));
        int instructions = instructions(expression);
        if (instructions > FilterLimits.MAX_INSTRUCTIONS) {
            throw new FilterException(FilterException.Pass.LIMIT, source, 1, "", "the filter compiles to " + instructions
                    + " eBPF instructions, over the limit of " + FilterLimits.MAX_INSTRUCTIONS + " for one filter"
                    + "; cover more addresses with 'net' prefixes and more ports with 'portrange'");
        }
        return new Filter(source, expression);
    }

    /** How long the code for {@code expression} is on a probe that sees Ethernet, where every primitive compiles. */
    private static int instructions(Expr expression) {
        Assembler a = new Assembler();
        new FilterCompiler(PacketContext.TC, "size").emit(a, expression, "match", "nomatch");
        return a.position();
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

    /**
     * Refuses the filter for a program of {@code context} if it names a primitive that cannot be
     * evaluated there (link-layer fields where packets start at the IP header).
     *
     * @throws FilterException of {@link FilterException.Pass#HOOK}, naming the primitive's column
     */
    public void checkAt(PacketContext context) {
        Checker.checkAt(source, expression, context);
    }

    /**
     * Refuses a primitive the compiler's program cannot evaluate (a {@link FilterException.Pass#HOOK}
     * refusal with the column), then {@link FilterCompiler#emit}.
     */
    public void emit(Assembler a, FilterCompiler compiler, String matchLabel, String noMatchLabel) {
        compiler.checkHook(source, expression);
        compiler.emit(a, expression, matchLabel, noMatchLabel);
    }

    @Override
    public String toString() {
        return matchesEverything() ? "(every packet)" : describe();
    }
}
