package io.vnettracer.probe.filter;

import static io.vnettracer.bpf.asm.Reg.R0;
import static io.vnettracer.bpf.asm.Reg.R1;
import static io.vnettracer.bpf.asm.Reg.R10;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Opcode;
import io.vnettracer.event.PacketKeyLayout;
import io.vnettracer.probe.filter.Expr.And;
import io.vnettracer.probe.filter.Expr.IpFamily;
import io.vnettracer.probe.filter.Expr.Proto;
import io.vnettracer.probe.filter.Expr.Relation;
import io.vnettracer.probe.filter.Expr.MatchAll;
import io.vnettracer.probe.filter.Expr.Net;
import io.vnettracer.probe.filter.Expr.Not;
import io.vnettracer.probe.filter.Expr.Or;
import io.vnettracer.probe.filter.Expr.Port;
import io.vnettracer.probe.filter.Expr.Transport;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Pattern;

/**
 * The filter for probes that see no packet, only the key their program extracted (tracepoints,
 * and the probes built before filters read packets): compiles the primitives the key can answer
 * ({@link #unanswerable} names one it cannot) to eBPF that reads only the packet key on the stack and jumps to one of
 * two labels the caller defines. Evaluation short-circuits: {@code a and b} tests b only
 * when a matched, {@code a or b} only when a did not.
 *
 * <h2>Contract of the emitted code</h2>
 * <ul>
 *   <li>Reads the 56 key bytes at {@code R10 + keyOffset} (as {@code KeyExtractor} wrote them) and
 *       nothing else: no context, no packet, no map.</li>
 *   <li>Ends in a jump to {@code matchLabel} or {@code noMatchLabel}, never falls through; the
 *       caller defines both labels after it. Both are the target of some jump, even for the empty
 *       expression, so code placed at either is never refused as unreachable.</li>
 *   <li>Clobbers R0 and R1; preserves R2 to R9.</li>
 *   <li>Defines labels starting with {@code labelPrefix + "_"}.</li>
 * </ul>
 *
 * <p>Addresses are compared as they sit in the key, in network order: an IPv4 address as one
 * 32-bit word, an IPv6 address as two 64-bit halves, each masked first when the prefix ends inside
 * it. Ports equal to one value are compared in network order; ranges and lengths in host order.
 */
final class KeyCompiler {
    private static final Pattern LABEL_PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final int keyOffset;
    private final int linkHeaderLength;
    private final String prefix;
    private int nextLabel;

    /**
     * @param keyOffset where the key starts, relative to R10 (a multiple of 8)
     * @param linkHeaderLength bytes of link header counted in {@code len} on top of the IP length
     *        (14 for probes that see Ethernet, 0 for those that start at the IP header)
     * @param labelPrefix a label-safe name unique within the program, e.g. {@code "filter"}
     */
    KeyCompiler(int keyOffset, int linkHeaderLength, String labelPrefix) {
        if (keyOffset % 8 != 0 || keyOffset < -512 || keyOffset > -PacketKeyLayout.SIZE) {
            throw new IllegalArgumentException("the key's frame offset must be a multiple of 8 from -512 to -"
                    + PacketKeyLayout.SIZE + ", not " + keyOffset);
        }
        if (linkHeaderLength < 0 || linkHeaderLength > 256) {
            throw new IllegalArgumentException("link header length must be 0..256 bytes, not " + linkHeaderLength);
        }
        if (labelPrefix == null || !LABEL_PREFIX.matcher(labelPrefix).matches()) {
            throw new IllegalArgumentException("label prefix must be a name like 'filter', not '" + labelPrefix + "'");
        }
        this.keyOffset = keyOffset;
        this.linkHeaderLength = linkHeaderLength;
        this.prefix = labelPrefix + "_";
    }

    /**
     * The primitive the key cannot answer, or null if every one can: byte offsets, link-layer
     * fields, VLAN tags and {@code len} against anything but a number need the packet itself.
     */
    static Expr unanswerable(Expr root) {
        Deque<Expr> pending = new ArrayDeque<>();
        pending.push(root);
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
                case Relation r when r.left() instanceof Value.PacketLength && r.right() instanceof Value.Constant -> { }
                case Relation r -> {
                    return r;
                }
                case Expr.Vlan v -> {
                    return v;
                }
                case Expr.EtherType t when t.type() == Header.ETHERTYPE_IP || t.type() == Header.ETHERTYPE_IP6 -> { }
                case Expr.EtherType t -> {
                    return t;
                }
                case Expr.EtherHost h -> {
                    return h;
                }
                default -> { }
            }
        }
        return null;
    }

    /** Emits the test of {@code expr}; see the class comment for the contract. */
    public void emit(Assembler a, Expr expr, String matchLabel, String noMatchLabel) {
        if (expr instanceof MatchAll) {
            referenceBothLabels(a, matchLabel, noMatchLabel);
            return;
        }
        compile(a, expr, matchLabel, noMatchLabel, null);
    }

    /**
     * For an expression that matches everything: a test that always holds (a byte is at most
     * 255), so that the no-match label is still the target of a jump. The verifier refuses code
     * no jump leads to ("unreachable insn") but accepts, and then drops, a branch it can prove is
     * never taken.
     */
    private void referenceBothLabels(Assembler a, String matchLabel, String noMatchLabel) {
        a.ldx(1, R0, R10, key(PacketKeyLayout.FAMILY))
                .jle(R0, 0xFF, matchLabel)
                .ja(noMatchLabel);
    }

    /** What is left to emit: the test of an expression, or a label. */
    private sealed interface Step {}

    /** The test of {@code e}, going to {@code onTrue} or {@code onFalse}; {@code next} as in {@link #compileOne}. */
    private record Test(Expr e, String onTrue, String onFalse, String next) implements Step {}

    private record Label(String name) implements Step {}

    /**
     * Emits the tests in the order a recursive descent would (left operand, label, right operand),
     * from a stack of its own: a chain of {@code and}/{@code or} is as deep as it is long.
     */
    private void compile(Assembler a, Expr e, String onTrue, String onFalse, String next) {
        Deque<Step> pending = new ArrayDeque<>();
        pending.push(new Test(e, onTrue, onFalse, next));
        while (!pending.isEmpty()) {
            switch (pending.pop()) {
                case Label l -> a.label(l.name());
                case Test t -> compileOne(a, t, pending);
            }
        }
    }

    /**
     * Emits code that goes to {@code onTrue} or {@code onFalse}, or pushes the steps of an
     * operator's operands; {@code next} names the label that will follow the code directly (or is
     * null), so a jump there can be left out.
     */
    private void compileOne(Assembler a, Test test, Deque<Step> pending) {
        String onTrue = test.onTrue();
        String onFalse = test.onFalse();
        String next = test.next();
        switch (test.e()) {
            case MatchAll m -> throw new IllegalArgumentException("the empty expression cannot be part of another");
            case And(Expr left, Expr right) -> {
                String rightStart = freshLabel("and");
                pending.push(new Test(right, onTrue, onFalse, next));
                pending.push(new Label(rightStart));
                pending.push(new Test(left, rightStart, onFalse, rightStart));
            }
            case Or(Expr left, Expr right) -> {
                String rightStart = freshLabel("or");
                pending.push(new Test(right, onTrue, onFalse, next));
                pending.push(new Label(rightStart));
                pending.push(new Test(left, onTrue, rightStart, rightStart));
            }
            case Not(Expr inner) -> pending.push(new Test(inner, onFalse, onTrue, next));
            case IpFamily f -> {
                matchFamily(a, f.family(), onFalse);
                jumpUnlessNext(a, onTrue, next);
            }
            case Transport t -> {
                matchProtocol(a, t.protocol().number(), t.protocol().family(), onFalse);
                jumpUnlessNext(a, onTrue, next);
            }
            case Proto p -> {
                if (p.number() > 0xFF) {
                    // No protocol byte holds it; a test that always fails, as a jump the verifier accepts.
                    a.ldx(1, R0, R10, key(PacketKeyLayout.FAMILY)).jle(R0, 0xFF, onFalse).ja(onTrue);
                    return;
                }
                matchProtocol(a, (int) p.number(), p.family(), onFalse);
                jumpUnlessNext(a, onTrue, next);
            }
            case Net n -> matchNet(a, n, onTrue, onFalse, next);
            case Port p -> matchPort(a, p, onTrue, onFalse, next);
            case Relation r when r.left() instanceof Value.PacketLength && r.right() instanceof Value.Constant(long c) -> {
                matchLength(a, r.comparison(), c, onFalse);
                jumpUnlessNext(a, onTrue, next);
            }
            case Relation r -> throw new IllegalArgumentException("the packet key cannot answer '" + r.describe() + "'");
            case Expr.Vlan v -> throw new IllegalArgumentException("the packet key cannot answer '" + v.describe() + "'");
            case Expr.EtherType t when t.type() == Header.ETHERTYPE_IP || t.type() == Header.ETHERTYPE_IP6 -> {
                matchFamily(a, t.type() == Header.ETHERTYPE_IP ? PacketKeyLayout.FAMILY_IPV4 : PacketKeyLayout.FAMILY_IPV6, onFalse);
                jumpUnlessNext(a, onTrue, next);
            }
            case Expr.EtherType t -> throw new IllegalArgumentException("the packet key cannot answer '" + t.describe() + "'");
            case Expr.EtherHost h -> throw new IllegalArgumentException("the packet key cannot answer '" + h.describe() + "'");
        }
    }

    private String freshLabel(String what) {
        return prefix + what + "_" + nextLabel++;
    }

    private int key(int field) {
        return keyOffset + field;
    }

    private static void jumpUnlessNext(Assembler a, String target, String next) {
        if (!target.equals(next)) {
            a.ja(target);
        }
    }

    /** Falls through when the key's family is {@code family}. */
    void matchFamily(Assembler a, int family, String onMismatch) {
        a.ldx(1, R0, R10, key(PacketKeyLayout.FAMILY))
                .jne(R0, family, onMismatch);
    }

    /** Falls through when the key's protocol is {@code number} (and its family {@code family}, unless 0). */
    void matchProtocol(Assembler a, int number, int family, String onMismatch) {
        a.ldx(1, R0, R10, key(PacketKeyLayout.PROTOCOL))
                .jne(R0, number, onMismatch);
        if (family != 0) {
            matchFamily(a, family, onMismatch);
        }
    }

    /** host and net: the family first, then the source, the destination, or either. */
    private void matchNet(Assembler a, Net n, String onTrue, String onFalse, String next) {
        matchFamily(a, n.network().family(), onFalse);
        if (n.prefixLength() == 0) {
            // Every address of the family is in a /0: nothing to compare (and a second
            // comparison after an empty first one would be unreachable, which the verifier refuses).
            jumpUnlessNext(a, onTrue, next);
            return;
        }
        switch (n.direction()) {
            case SRC -> matchAddress(a, PacketKeyLayout.SRC_ADDR, n, onFalse);
            case DST -> matchAddress(a, PacketKeyLayout.DST_ADDR, n, onFalse);
            case BOTH -> {
                matchAddress(a, PacketKeyLayout.SRC_ADDR, n, onFalse);
                matchAddress(a, PacketKeyLayout.DST_ADDR, n, onFalse);
            }
            case EITHER -> {
                String tryDestination = freshLabel("dst");
                matchAddress(a, PacketKeyLayout.SRC_ADDR, n, tryDestination);
                a.ja(onTrue).label(tryDestination);
                matchAddress(a, PacketKeyLayout.DST_ADDR, n, onFalse);
            }
        }
        jumpUnlessNext(a, onTrue, next);
    }

    /**
     * Falls through when the address at {@code field} lies in the network. The key holds the
     * address in network order; loading it little-endian gives a word whose bytes are in memory
     * order, so the network and its mask are turned into words the same way and compared as is.
     */
    void matchAddress(Assembler a, int field, Net n, String onMismatch) {
        byte[] network = n.network().bytes();
        if (n.network().isIpv4()) {
            int mask = littleEndianInt(maskBytes(n.prefixLength(), 4), 0);
            if (mask == 0) {
                return;
            }
            a.ldx(4, R0, R10, key(field));
            if (mask != -1) {
                a.and32(R0, mask);
            }
            a.jmp32(Opcode.BPF_JNE, R0, littleEndianInt(network, 0), onMismatch);
            return;
        }
        byte[] maskBytes = maskBytes(n.prefixLength(), 16);
        for (int half = 0; half < 2; half++) {
            long mask = littleEndianLong(maskBytes, 8 * half);
            if (mask == 0) {
                continue;
            }
            a.ldx(8, R0, R10, key(field + 8 * half));
            if (mask != -1L) {
                a.ldImm64(R1, mask).and64(R0, R1);
            }
            a.ldImm64(R1, littleEndianLong(network, 8 * half))
                    .jne(R0, R1, onMismatch);
        }
    }

    /** port and portrange: TCP or UDP, then the source port, the destination port, or either. */
    private void matchPort(Assembler a, Port p, String onTrue, String onFalse, String next) {
        String hasPorts = freshLabel("ports");
        a.ldx(1, R0, R10, key(PacketKeyLayout.PROTOCOL))
                .jeq(R0, PacketKeyLayout.IPPROTO_TCP, hasPorts)
                .jne(R0, PacketKeyLayout.IPPROTO_UDP, onFalse)
                .label(hasPorts);
        switch (p.direction()) {
            case SRC -> matchPortField(a, PacketKeyLayout.SRC_PORT, p, onFalse);
            case DST -> matchPortField(a, PacketKeyLayout.DST_PORT, p, onFalse);
            case BOTH -> throw new IllegalArgumentException("'src and dst' does not apply to ports");
            case EITHER -> {
                String tryDestination = freshLabel("dport");
                matchPortField(a, PacketKeyLayout.SRC_PORT, p, tryDestination);
                a.ja(onTrue).label(tryDestination);
                matchPortField(a, PacketKeyLayout.DST_PORT, p, onFalse);
            }
        }
        jumpUnlessNext(a, onTrue, next);
    }

    /** Falls through when the port at {@code field} is in [low, high]. */
    void matchPortField(Assembler a, int field, Port p, String onMismatch) {
        a.ldx(2, R0, R10, key(field));
        if (p.low() == p.high()) {
            a.jne(R0, Short.reverseBytes((short) p.low()) & 0xFFFF, onMismatch);
            return;
        }
        a.toBigEndian(R0, 16)
                .jlt(R0, (int) p.low(), onMismatch)
                .jgt(R0, (int) p.high(), onMismatch);
    }

    /**
     * Falls through when IP_LENGTH + the link header length satisfies the comparison. A key
     * without an IP family has no length, and fails every comparison.
     */
    void matchLength(Assembler a, Comparison comparison, long value, String onMismatch) {
        a.ldx(1, R0, R10, key(PacketKeyLayout.FAMILY))
                .jeq(R0, 0, onMismatch)
                .ldx(4, R0, R10, key(PacketKeyLayout.IP_LENGTH));
        if (linkHeaderLength != 0) {
            a.add64(R0, linkHeaderLength);
        }
        int failWhen = switch (comparison) {
            case LT -> Opcode.BPF_JGE;
            case LE -> Opcode.BPF_JGT;
            case GT -> Opcode.BPF_JLE;
            case GE -> Opcode.BPF_JLT;
            case EQ -> Opcode.BPF_JNE;
            case NE -> Opcode.BPF_JEQ;
        };
        if (value <= Integer.MAX_VALUE) {
            a.jmp(failWhen, R0, (int) value, onMismatch);
        } else {
            a.ldImm64(R1, value).jmp(failWhen, R0, R1, onMismatch);
        }
    }

    private static byte[] maskBytes(int prefixLength, int size) {
        byte[] mask = new byte[size];
        for (int i = 0; i < size; i++) {
            mask[i] = Address.maskByte(prefixLength, i);
        }
        return mask;
    }

    private static int littleEndianInt(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    private static long littleEndianLong(byte[] b, int at) {
        return Integer.toUnsignedLong(littleEndianInt(b, at)) | (long) littleEndianInt(b, at + 4) << 32;
    }
}
