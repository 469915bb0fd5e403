package io.vnettracer.probe.filter;

import io.vnettracer.probe.filter.Expr.And;
import io.vnettracer.probe.filter.Expr.Length;
import io.vnettracer.probe.filter.Expr.Net;
import io.vnettracer.probe.filter.Expr.Not;
import io.vnettracer.probe.filter.Expr.Or;
import io.vnettracer.probe.filter.Expr.Port;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The semantic pass: values in range, networks well formed. Refuses with the column of the value.
 *
 * <p>Combinations that can never match are accepted, as pcap accepts them: {@code icmp and port 80}
 * compiles and matches nothing (ports exist for TCP and UDP only), as does {@code ip and ip6} or
 * {@code ip6 and host 10.0.0.1}. They are legal, if useless, and refusing them would need rules
 * about every pair of primitives under every negation.
 */
final class Checker {
    static final long MAX_PORT = 65_535;
    /** IP_LENGTH is a u32; adding the link header length cannot overflow the 64-bit compare. */
    static final long MAX_LENGTH = 0xFFFF_FFFFL;

    private final String source;

    private Checker(String source) {
        this.source = source;
    }

    /** Returns {@code expr} unchanged if it is valid; throws a {@link FilterException} at the first problem. */
    static Expr check(String source, Expr expr) {
        new Checker(source).visit(expr);
        return expr;
    }

    /**
     * Visits the tree left to right with a stack of its own: a chain of {@code and}/{@code or} is as
     * deep as it is long, and a thread's stack is not the place for that.
     */
    private void visit(Expr root) {
        Deque<Expr> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            visitOne(pending.pop(), pending);
        }
    }

    private void visitOne(Expr e, Deque<Expr> pending) {
        switch (e) {
            case And(Expr l, Expr r) -> {
                pending.push(r);
                pending.push(l);
            }
            case Or(Expr l, Expr r) -> {
                pending.push(r);
                pending.push(l);
            }
            case Not(Expr inner) -> pending.push(inner);
            case Port p -> checkPort(p);
            case Net n -> checkNet(n);
            case Length len -> {
                if (len.value() > MAX_LENGTH) {
                    throw error(len.column(), "length " + len.value() + " is out of range 0.." + MAX_LENGTH);
                }
            }
            case Expr.MatchAll m -> { }
            case Expr.IpFamily f -> { }
            case Expr.Transport t -> { }
        }
    }

    private void checkPort(Port p) {
        boolean range = p.low() != p.high();
        String what = range ? "port range " + p.low() + "-" + p.high() : "port " + p.low();
        if (p.low() > MAX_PORT || p.high() > MAX_PORT) {
            throw error(p.column(), what + " is out of range 0.." + MAX_PORT);
        }
        if (p.low() > p.high()) {
            throw error(p.column(), "port range " + p.low() + "-" + p.high() + " is empty: write the lower port first ("
                    + p.high() + "-" + p.low() + ")");
        }
    }

    private void checkNet(Net n) {
        int bits = n.network().bitLength();
        if (n.prefixLength() > bits) {
            throw error(n.column(), "prefix /" + n.prefixLength() + " is too long for an IPv" + (bits == 32 ? 4 : 6)
                    + " address (at most /" + bits + ")");
        }
        Address masked = n.network().masked(n.prefixLength());
        if (!masked.equals(n.network())) {
            throw error(n.column(), "network " + n.network() + "/" + n.prefixLength()
                    + " has bits set beyond its prefix; did you mean " + masked + "/" + n.prefixLength() + "?");
        }
    }

    private FilterException error(int column, String problem) {
        int end = column - 1;
        while (end < source.length() && Lexer.isWordChar(source.charAt(end))) {
            end++;
        }
        String token = column - 1 < source.length() ? source.substring(column - 1, end) : "end of expression";
        return new FilterException(FilterException.Pass.CHECK, source, column, token, problem);
    }
}
