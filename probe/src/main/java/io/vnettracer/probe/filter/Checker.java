package io.vnettracer.probe.filter;

import io.vnettracer.probe.filter.Expr.And;
import io.vnettracer.probe.filter.Expr.Net;
import io.vnettracer.probe.filter.Expr.Not;
import io.vnettracer.probe.filter.Expr.Or;
import io.vnettracer.probe.filter.Expr.Port;
import io.vnettracer.probe.filter.Expr.Relation;
import io.vnettracer.probe.packet.PacketContext;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The semantic pass: values in range, networks well formed. Refuses with the column of the value.
 *
 * <p>Arithmetic is held to what the compiled code can keep in registers (a LIMIT refusal).
 *
 * <p>Combinations that can never match are accepted, as pcap accepts them: {@code icmp and port 80}
 * compiles and matches nothing (ports exist for TCP and UDP only), as does {@code ip and ip6} or
 * {@code ip6 and host 10.0.0.1}. They are legal, if useless, and refusing them would need rules
 * about every pair of primitives under every negation.
 */
final class Checker {
    static final long MAX_PORT = 65_535;
    /** Values are unsigned 32 bits, as in pcap ("number ... overflows 32 bits"). */
    static final long MAX_VALUE = 0xFFFF_FFFFL;
    static final long MAX_VLAN = 4095;

    private final String source;

    private Checker(String source) {
        this.source = source;
    }

    /**
     * Refuses a primitive that reads the Ethernet header ({@code ether}, {@code vlan}, {@code arp},
     * {@code ether[...]}) for a program that has none: its packets start at the IP header, so the
     * primitive could never be evaluated there. ({@code ether proto} of IPv4 or IPv6 is the IP
     * version there, as libpcap reads it on raw IP. libpcap reads {@code ether[n]} on raw IP as
     * the IP header's byte n; that is refused here, as meaning something else than it says.)
     */
    static void checkAt(String source, Expr expr, PacketContext context) {
        if (context.hasEthernet()) {
            return;
        }
        Checker checker = new Checker(source);
        Deque<Expr> pending = new ArrayDeque<>();
        pending.push(expr);
        while (!pending.isEmpty()) {
            switch (pending.pop()) {
                case And(Expr l, Expr r) -> {
                    pending.push(r);
                    pending.push(l);
                }
                case Or(Expr l, Expr r) -> {
                    pending.push(r);
                    pending.push(l);
                }
                case Not(Expr inner) -> pending.push(inner);
                case Expr.Vlan v -> throw checker.noLinkLayer(v.column(), v.describe());
                case Expr.EtherType t when t.type() == Header.ETHERTYPE_IP || t.type() == Header.ETHERTYPE_IP6 -> { }
                case Expr.EtherType t -> throw checker.noLinkLayer(t.column(), t.describe());
                case Expr.EtherHost h -> throw checker.noLinkLayer(h.column(), h.describe());
                case Relation r -> {
                    Value.Load link = linkLoad(r.left());
                    link = link != null ? link : linkLoad(r.right());
                    if (link != null) {
                        throw checker.noLinkLayer(link.column(), link.header().keyword() + "[...]");
                    }
                }
                default -> { }
            }
        }
    }

    /** Refuses what a filter reading only the packet key cannot answer (see {@link KeyCompiler}). */
    static void checkKeyOnly(String source, Expr expr) {
        Expr unanswerable = KeyCompiler.unanswerable(expr);
        if (unanswerable == null) {
            return;
        }
        int column = switch (unanswerable) {
            case Relation r -> r.column();
            case Expr.Vlan v -> v.column();
            case Expr.EtherType t -> t.column();
            case Expr.EtherHost h -> h.column();
            default -> 1;
        };
        Checker checker = new Checker(source);
        throw new FilterException(FilterException.Pass.HOOK, source, column, checker.token(column), "'"
                + unanswerable.describe() + "' needs the packet's bytes, and this probe's filter sees only the key its"
                + " program extracted (addresses, ports, protocol, IP length): use it on a device probe (tc),"
                + " or filter on those fields here");
    }

    private static Value.Load linkLoad(Value v) {
        return switch (v) {
            case Value.Load l when l.header() == Header.LINK || l.header() == Header.ARP || l.header() == Header.RARP -> l;
            case Value.Load l -> linkLoad(l.offset());
            case Value.Arithmetic ar -> linkLoad(ar.left()) != null ? linkLoad(ar.left()) : linkLoad(ar.right());
            case Value.Negation n -> linkLoad(n.operand());
            default -> null;
        };
    }

    private FilterException noLinkLayer(int column, String what) {
        return new FilterException(FilterException.Pass.HOOK, source, column, token(column), "'" + what
                + "' reads the Ethernet header, and this probe's packets start at the IP header (a socket-level, cgroup_skb"
                + " hook has no link layer): use it on a device probe (tc), or filter on IP fields here");
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
            case Relation r -> checkRelation(r);
            case Expr.Proto p -> {
                if (p.number() > MAX_VALUE) {
                    throw error(p.column(), "protocol " + p.number() + " does not fit in 32 bits");
                }
            }
            case Expr.EtherType t -> {
                if (t.type() > MAX_VALUE) {
                    throw error(t.column(), "EtherType " + t.type() + " does not fit in 32 bits");
                }
            }
            case Expr.Vlan v -> {
                if (v.id() > MAX_VLAN) {
                    throw error(v.column(), "VLAN id " + v.id() + " is out of range 0.." + MAX_VLAN);
                }
            }
            case Expr.MatchAll m -> { }
            case Expr.IpFamily f -> { }
            case Expr.Transport t -> { }
            case Expr.EtherHost h -> { }
        }
    }

    private void checkRelation(Relation r) {
        checkValue(r.left(), r.column());
        checkValue(r.right(), r.column());
        int registers = Math.max(registersFor(r.left()), r.right() instanceof Value.Constant ? 0 : registersFor(r.right()) + 1);
        if (registers > FilterCompiler.VALUE_REGISTERS.length) {
            throw new FilterException(FilterException.Pass.LIMIT, source, r.column(), token(r.column()), "the arithmetic holds "
                    + registers + " values at once, over the limit of " + FilterCompiler.VALUE_REGISTERS.length
                    + " (the registers the compiled code keeps them in); put constants on the right of each operator,"
                    + " or split the comparison");
        }
    }

    /** Constants in 32 bits, no division by a constant zero, no shift by a constant over 31 (as tcpdump refuses them). */
    private void checkValue(Value v, int column) {
        switch (v) {
            case Value.Constant(long c) -> {
                if (c > MAX_VALUE) {
                    throw error(column, "the number " + c + " does not fit in 32 bits (values are unsigned 32-bit, as in pcap)");
                }
            }
            case Value.Load l -> checkValue(l.offset(), column);
            case Value.Negation n -> checkValue(n.operand(), column);
            case Value.Arithmetic ar -> {
                checkValue(ar.left(), column);
                checkValue(ar.right(), column);
                if (ar.right() instanceof Value.Constant(long c)) {
                    boolean divides = ar.operator() == Value.Operator.DIVIDE || ar.operator() == Value.Operator.MODULO;
                    if (divides && c == 0) {
                        throw error(ar.column(), "division by zero");
                    }
                    boolean shifts = ar.operator() == Value.Operator.SHIFT_LEFT || ar.operator() == Value.Operator.SHIFT_RIGHT;
                    if (shifts && c > 31) {
                        throw error(ar.column(), "shift by " + c + " bits: a value has 32, shift by at most 31");
                    }
                }
            }
            case Value.PacketLength l -> { }
        }
    }

    /** Registers needed to compute {@code v} into one: a constant right operand costs none. */
    static int registersFor(Value v) {
        return switch (v) {
            case Value.Constant c -> 1;
            case Value.PacketLength l -> 1;
            case Value.Load l -> registersFor(l.offset());
            case Value.Negation n -> registersFor(n.operand());
            case Value.Arithmetic ar -> ar.right() instanceof Value.Constant
                    ? registersFor(ar.left())
                    : Math.max(registersFor(ar.left()), registersFor(ar.right()) + 1);
        };
    }

    private void checkPort(Port p) {
        boolean range = p.low() != p.high();
        String what = range ? "port range " + p.low() + "-" + p.high() : "port " + p.low();
        if (p.low() > MAX_PORT || p.high() > MAX_PORT) {
            throw error(p.column(), what + " is out of range 0.." + MAX_PORT);
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
        return new FilterException(FilterException.Pass.CHECK, source, column, token(column), problem);
    }

    private String token(int column) {
        int end = column - 1;
        while (end < source.length() && Lexer.isWordChar(source.charAt(end))) {
            end++;
        }
        return column - 1 < source.length() ? source.substring(column - 1, end) : "end of expression";
    }
}
