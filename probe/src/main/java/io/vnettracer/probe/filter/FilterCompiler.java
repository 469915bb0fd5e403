package io.vnettracer.probe.filter;

import static io.vnettracer.bpf.asm.Reg.R0;
import static io.vnettracer.bpf.asm.Reg.R1;
import static io.vnettracer.bpf.asm.Reg.R2;
import static io.vnettracer.bpf.asm.Reg.R3;
import static io.vnettracer.bpf.asm.Reg.R4;
import static io.vnettracer.bpf.asm.Reg.R5;
import static io.vnettracer.bpf.asm.Reg.R6;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Opcode;
import io.vnettracer.bpf.asm.Reg;
import io.vnettracer.bpf.prog.SkBuffFields;
import io.vnettracer.bpf.prog.XdpMdFields;
import io.vnettracer.event.PacketKeyLayout;
import io.vnettracer.probe.filter.Expr.And;
import io.vnettracer.probe.filter.Expr.EtherHost;
import io.vnettracer.probe.filter.Expr.EtherType;
import io.vnettracer.probe.filter.Expr.IpFamily;
import io.vnettracer.probe.filter.Expr.MatchAll;
import io.vnettracer.probe.filter.Expr.Net;
import io.vnettracer.probe.filter.Expr.Not;
import io.vnettracer.probe.filter.Expr.Or;
import io.vnettracer.probe.filter.Expr.Port;
import io.vnettracer.probe.filter.Expr.Proto;
import io.vnettracer.probe.filter.Expr.Relation;
import io.vnettracer.probe.filter.Expr.Transport;
import io.vnettracer.probe.filter.Expr.Vlan;
import io.vnettracer.probe.packet.HeaderLayout;
import io.vnettracer.probe.packet.PacketContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Compiles a checked expression to eBPF that reads the packet as libpcap's code would on the same
 * bytes (Ethernet on tc and XDP; the IP header first on cgroup_skb, as pcap's raw IP link type),
 * and jumps to one of two labels the caller defines. Evaluation short-circuits: {@code a and b}
 * tests b only when a matched, {@code a or b} only when a did not.
 *
 * <h2>Contract of the emitted code</h2>
 * <ul>
 *   <li>On entry R6 holds the program's context (as {@code KeyExtractor} requires too); the code
 *       reads the packet through it by direct packet access, every load checked against data_end,
 *       and {@code len} from the context.</li>
 *   <li>Ends in a jump to {@code matchLabel} or {@code noMatchLabel}, never falls through; the
 *       caller defines both labels after it. Both are the target of some jump, even for the empty
 *       expression, so code placed at either is never refused as unreachable.</li>
 *   <li>A load past the end of the packet's data goes to {@code noMatchLabel} whatever surrounds
 *       it (even under {@code not}), as a classic BPF filter returns 0 there.</li>
 *   <li>Clobbers R0 to R5; preserves R6 to R9 and the stack.</li>
 *   <li>Defines labels starting with {@code labelPrefix + "_"}.</li>
 * </ul>
 *
 * <p>Values are unsigned 32-bit, as in classic BPF: arithmetic uses the 32-bit ALU and relations
 * 32-bit jumps. Values live in R2 to R5 ({@link Checker} refuses arithmetic that needs more);
 * R0 and R1 carry each load. As in libpcap, each {@code vlan} makes the primitives after it in the
 * text read the network header 4 bytes further on.
 */
public final class FilterCompiler {
    private static final Pattern LABEL_PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Registers that hold values of arithmetic, in order of nesting. */
    static final Reg[] VALUE_REGISTERS = {R2, R3, R4, R5};
    /** Loads at or past this offset are refused by the verifier; no packet is that long in its linear data. */
    private static final int MAX_OFFSET = 0xFFFF;
    private static final int ETHERTYPE_OFFSET = 12;
    private static final int IPPROTO_FRAGMENT = 44;
    private static final int[] VLAN_TPIDS = {0x8100, 0x88A8, 0x9100};

    private final PacketContext context;
    /** Set for probes whose filter reads the packet key instead of the packet; then context is null. */
    private final KeyCompiler keyCompiler;
    private final String prefix;
    private int nextLabel;
    private String rejectLabel;
    /** Bytes of VLAN tags that the primitives emitted so far look past. */
    private int linkShift;

    /**
     * @param context where the program finds the packet and what its first byte is
     * @param labelPrefix a label-safe name unique within the program, e.g. {@code "filter"}
     */
    public FilterCompiler(PacketContext context, String labelPrefix) {
        if (labelPrefix == null || !LABEL_PREFIX.matcher(labelPrefix).matches()) {
            throw new IllegalArgumentException("label prefix must be a name like 'filter', not '" + labelPrefix + "'");
        }
        this.context = Objects.requireNonNull(context, "context");
        this.keyCompiler = null;
        this.prefix = labelPrefix + "_";
    }

    /**
     * For the probe builder's call sites, which pass the key and the link header length: 14 is a tc
     * program (R6 its context), and the filter reads the packet as above; 0 is a program whose
     * packets start at IP or that has no packet (cgroup_skb, tracepoints), and the filter reads the
     * packet key at {@code keyOffset} as {@link KeyCompiler} does, refusing what the key cannot answer.
     */
    public FilterCompiler(int keyOffset, int linkHeaderLength, String labelPrefix) {
        if (linkHeaderLength == HeaderLayout.Ethernet.ETH_HLEN) {
            this.context = PacketContext.TC;
            this.keyCompiler = null;
        } else {
            this.context = null;
            this.keyCompiler = new KeyCompiler(keyOffset, linkHeaderLength, labelPrefix);
        }
        if (labelPrefix == null || !LABEL_PREFIX.matcher(labelPrefix).matches()) {
            throw new IllegalArgumentException("label prefix must be a name like 'filter', not '" + labelPrefix + "'");
        }
        this.prefix = labelPrefix + "_";
    }

    /**
     * Refuses, with the column, a primitive this program cannot evaluate: link-layer fields where
     * packets start at IP; on a key-reading program, anything the key does not hold.
     */
    void checkHook(String source, Expr expr) {
        if (keyCompiler != null) {
            Checker.checkKeyOnly(source, expr);
        } else {
            Checker.checkAt(source, expr, context);
        }
    }

    /** Emits the test of {@code expr}; see the class comment for the contract. */
    public void emit(Assembler a, Expr expr, String matchLabel, String noMatchLabel) {
        if (keyCompiler != null) {
            keyCompiler.emit(a, expr, matchLabel, noMatchLabel);
            return;
        }
        if (expr instanceof MatchAll) {
            referenceBothLabels(a, matchLabel, noMatchLabel);
            return;
        }
        rejectLabel = noMatchLabel;
        linkShift = 0;
        compile(a, expr, matchLabel, noMatchLabel, null);
    }

    /**
     * For an expression that matches everything: a test that always holds, so that the no-match
     * label is still the target of a jump. The verifier refuses code no jump leads to
     * ("unreachable insn") but accepts, and then drops, a branch it can prove is never taken.
     */
    private void referenceBothLabels(Assembler a, String matchLabel, String noMatchLabel) {
        a.mov64(R0, 0)
                .jeq(R0, 0, matchLabel)
                .ja(noMatchLabel);
    }

    /** What is left to emit: the test of an expression, or a label. */
    private sealed interface Step {}

    /** The test of {@code e}, going to {@code onTrue} or {@code onFalse}; {@code next} as in {@link #compileOne}. */
    private record Test(Expr e, String onTrue, String onFalse, String next) implements Step {}

    private record Label(String name) implements Step {}

    /**
     * Emits the tests in the order a recursive descent would (left operand, label, right operand),
     * from a stack of its own: a chain of {@code and}/{@code or} is as deep as it is long. The
     * order is the text's, which the VLAN shift depends on.
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
                matchEtherType(a, f.family() == PacketKeyLayout.FAMILY_IPV4 ? Header.ETHERTYPE_IP : Header.ETHERTYPE_IP6, onFalse);
                jumpUnlessNext(a, onTrue, next);
            }
            case Transport t -> matchProtocol(a, t.protocol().family(), t.protocol().number(), onTrue, onFalse, next);
            case Proto p -> matchProtocol(a, p.family(), p.number(), onTrue, onFalse, next);
            case EtherType t -> {
                if (t.type() != Header.ETHERTYPE_IP && t.type() != Header.ETHERTYPE_IP6) {
                    requireLinkLayer(t.describe());
                }
                matchEtherType(a, t.type(), onFalse);
                jumpUnlessNext(a, onTrue, next);
            }
            case Vlan v -> matchVlan(a, v, onTrue, onFalse, next);
            case EtherHost h -> matchEtherHost(a, h, onTrue, onFalse, next);
            case Net n -> matchNet(a, n, onTrue, onFalse, next);
            case Port p -> matchPort(a, p, onTrue, onFalse, next);
            case Relation r -> matchRelation(a, r, onTrue, onFalse, next);
        }
    }

    private String freshLabel(String what) {
        return prefix + what + "_" + nextLabel++;
    }

    private static void jumpUnlessNext(Assembler a, String target, String next) {
        if (!target.equals(next)) {
            a.ja(target);
        }
    }

    private void requireLinkLayer(String what) {
        if (!context.hasEthernet()) {
            throw new IllegalArgumentException("'" + what + "' reads the Ethernet header, which a " + context
                    + " program does not see");
        }
    }

    /** Where the network header starts: after Ethernet and the VLAN tags named so far, or at 0. */
    private int network() {
        return context.hasEthernet() ? HeaderLayout.Ethernet.ETH_HLEN + linkShift : 0;
    }

    // ---- loads --------------------------------------------------------------------------------

    private int dataField() {
        return context.dataField();
    }

    private int dataEndField() {
        return context.dataEndField();
    }

    /** dst = the {@code size} bytes at {@code offset}, in host order; past the data: reject. */
    void loadAt(Assembler a, Reg dst, long offset, int size) {
        if (offset + size > MAX_OFFSET) {
            // No packet's data reaches there: always reject, with a conditional jump so that the
            // code after it is not refused as unreachable.
            a.mov64(R0, 0).jeq(R0, 0, rejectLabel).mov32(dst, 0);
            return;
        }
        a.ldx(4, R1, R6, dataField())
                .ldx(4, R0, R6, dataEndField())
                .add64(R1, (int) offset + size)
                .jgt(R1, R0, rejectLabel)
                .ldx(size, dst, R1, -size);
        toHostOrder(a, dst, size);
    }

    /** dst = the {@code size} bytes at {@code index + offset}; {@code index} holds a u32. */
    void loadAtIndex(Assembler a, Reg dst, Reg index, int offset, int size) {
        a.jgt(index, MAX_OFFSET, rejectLabel)
                .ldx(4, R1, R6, dataField())
                .add64(R1, index)
                .ldx(4, R0, R6, dataEndField())
                .add64(R1, offset + size)
                .jgt(R1, R0, rejectLabel)
                .ldx(size, dst, R1, -size);
        toHostOrder(a, dst, size);
    }

    private static void toHostOrder(Assembler a, Reg r, int size) {
        if (size > 1) {
            a.toBigEndian(r, size * 8);
        }
    }

    /** dst = the IPv4 header's length in bytes, 4 * IHL. */
    private void ipv4HeaderLength(Assembler a, Reg dst) {
        loadAt(a, dst, network(), 1);
        a.and32(dst, 0x0F).lsh32(dst, 2);
    }

    // ---- primitives ---------------------------------------------------------------------------

    /** Falls through when the packet's network protocol is {@code etherType} (IPv4, IPv6 by version on cgroup_skb). */
    void matchEtherType(Assembler a, long etherType, String onMismatch) {
        if (context.hasEthernet()) {
            loadAt(a, R0, ETHERTYPE_OFFSET + linkShift, 2);
            a.jmp32(Opcode.BPF_JNE, R0, (int) etherType, onMismatch);
            return;
        }
        int version = etherType == Header.ETHERTYPE_IP ? 0x40 : etherType == Header.ETHERTYPE_IP6 ? 0x60 : -1;
        if (version < 0) {
            throw new IllegalArgumentException("EtherType " + etherType + " on a program without an Ethernet header");
        }
        loadAt(a, R0, 0, 1);
        a.and32(R0, 0xF0).jmp32(Opcode.BPF_JNE, R0, version, onMismatch);
    }

    /**
     * {@code ip proto N} and {@code ip6 proto N} (family 0: either): over IPv6, the next header of
     * the fixed header, or of a fragment header right behind it, as libpcap tests it.
     */
    private void matchProtocol(Assembler a, int family, long number, String onTrue, String onFalse, String next) {
        String tryIpv6 = family == 0 ? freshLabel("proto6") : onFalse;
        if (family != PacketKeyLayout.FAMILY_IPV6) {
            matchEtherType(a, Header.ETHERTYPE_IP, tryIpv6);
            loadAt(a, R0, network() + 9, 1);
            a.jmp32(Opcode.BPF_JNE, R0, (int) number, onFalse);
            if (family != 0) {
                jumpUnlessNext(a, onTrue, next);
                return;
            }
            a.ja(onTrue).label(tryIpv6);
        }
        matchEtherType(a, Header.ETHERTYPE_IP6, onFalse);
        loadAt(a, R0, network() + 6, 1);
        a.jmp32(Opcode.BPF_JEQ, R0, (int) number, onTrue)
                .jmp32(Opcode.BPF_JNE, R0, IPPROTO_FRAGMENT, onFalse);
        loadAt(a, R0, network() + 40, 1);
        a.jmp32(Opcode.BPF_JNE, R0, (int) number, onFalse);
        jumpUnlessNext(a, onTrue, next);
    }

    private void matchVlan(Assembler a, Vlan v, String onTrue, String onFalse, String next) {
        requireLinkLayer(v.describe());
        String tagged = freshLabel("tagged");
        loadAt(a, R0, ETHERTYPE_OFFSET + linkShift, 2);
        for (int tpid : VLAN_TPIDS) {
            a.jmp32(Opcode.BPF_JEQ, R0, tpid, tagged);
        }
        a.ja(onFalse).label(tagged);
        if (v.id() != Vlan.ANY) {
            loadAt(a, R0, ETHERTYPE_OFFSET + 2 + linkShift, 2);
            a.and32(R0, 0x0FFF).jmp32(Opcode.BPF_JNE, R0, (int) v.id(), onFalse);
        }
        linkShift += 4;
        jumpUnlessNext(a, onTrue, next);
    }

    private void matchEtherHost(Assembler a, EtherHost h, String onTrue, String onFalse, String next) {
        requireLinkLayer(h.describe());
        long mac = h.address().value();
        directions(a, h.direction(), onTrue, onFalse, next,
                mismatch -> matchMac(a, 6, mac, mismatch), mismatch -> matchMac(a, 0, mac, mismatch));
    }

    private void matchMac(Assembler a, int offset, long mac, String onMismatch) {
        loadAt(a, R0, offset + 2, 4);
        a.jmp32(Opcode.BPF_JNE, R0, (int) mac, onMismatch);
        loadAt(a, R0, offset, 2);
        a.jmp32(Opcode.BPF_JNE, R0, (int) (mac >>> 32), onMismatch);
    }

    /**
     * Source, destination, either or both: each emitter falls through when its side matches and
     * jumps to the label it is given when not.
     */
    private void directions(Assembler a, Direction direction, String onTrue, String onFalse, String next,
                            Consumer<String> source, Consumer<String> destination) {
        switch (direction) {
            case SRC -> source.accept(onFalse);
            case DST -> destination.accept(onFalse);
            case BOTH -> {
                source.accept(onFalse);
                destination.accept(onFalse);
            }
            case EITHER -> {
                String tryDestination = freshLabel("dst");
                source.accept(tryDestination);
                a.ja(onTrue).label(tryDestination);
                destination.accept(onFalse);
            }
        }
        jumpUnlessNext(a, onTrue, next);
    }

    /**
     * host and net. IPv4: in an IPv4 header, or (with an Ethernet header) as the sender or target
     * protocol address of an ARP or RARP packet, as libpcap's {@code host} is. IPv6: in an IPv6 header.
     */
    private void matchNet(Assembler a, Net n, String onTrue, String onFalse, String next) {
        byte[] network = n.network().bytes();
        if (!n.network().isIpv4()) {
            matchEtherType(a, Header.ETHERTYPE_IP6, onFalse);
            directions(a, n.direction(), onTrue, onFalse, next,
                    mismatch -> matchAddress(a, network() + 8, network, n.prefixLength(), mismatch),
                    mismatch -> matchAddress(a, network() + 24, network, n.prefixLength(), mismatch));
            return;
        }
        boolean arpToo = context.hasEthernet();
        String tryArp = arpToo ? freshLabel("arp") : onFalse;
        matchEtherType(a, Header.ETHERTYPE_IP, tryArp);
        directions(a, n.direction(), onTrue, onFalse, null,
                mismatch -> matchAddress(a, network() + 12, network, n.prefixLength(), mismatch),
                mismatch -> matchAddress(a, network() + 16, network, n.prefixLength(), mismatch));
        if (!arpToo) {
            return;
        }
        String arp = freshLabel("isarp");
        a.label(tryArp);
        loadAt(a, R0, ETHERTYPE_OFFSET + linkShift, 2);
        a.jmp32(Opcode.BPF_JEQ, R0, Header.ARP.etherType(), arp)
                .jmp32(Opcode.BPF_JNE, R0, Header.RARP.etherType(), onFalse)
                .label(arp);
        directions(a, n.direction(), onTrue, onFalse, next,
                mismatch -> matchAddress(a, network() + 14, network, n.prefixLength(), mismatch),
                mismatch -> matchAddress(a, network() + 24, network, n.prefixLength(), mismatch));
    }

    /** Falls through when the address at {@code offset} lies in the network; compared 32 bits at a time. */
    private void matchAddress(Assembler a, int offset, byte[] network, int prefixLength, String onMismatch) {
        for (int word = 0; word < network.length / 4; word++) {
            int mask = bigEndianInt(maskBytes(prefixLength, network.length), 4 * word);
            if (mask == 0 && word > 0) {
                break;
            }
            loadAt(a, R0, offset + 4L * word, 4);
            if (mask != -1) {
                a.and32(R0, mask);
            }
            a.jmp32(Opcode.BPF_JNE, R0, bigEndianInt(network, 4 * word) & mask, onMismatch);
        }
    }

    /**
     * port and portrange: TCP, UDP or SCTP; over IPv4 only in an unfragmented packet or a first
     * fragment, behind the IPv4 header's options; over IPv6 right behind the fixed header.
     */
    private void matchPort(Assembler a, Port p, String onTrue, String onFalse, String next) {
        String tryIpv6 = freshLabel("port6");
        String ipv4Ports = freshLabel("ports4");
        matchEtherType(a, Header.ETHERTYPE_IP, tryIpv6);
        loadAt(a, R0, network() + 9, 1);
        jumpIfPortProtocol(a, ipv4Ports, onFalse);
        a.label(ipv4Ports);
        loadAt(a, R0, network() + 6, 2);
        a.jmp32(Opcode.BPF_JSET, R0, 0x1FFF, onFalse);
        ipv4HeaderLength(a, R2);
        int base = network();
        directions(a, p.direction(), onTrue, onFalse, null,
                mismatch -> matchPortAt(a, R2, base, p, mismatch), mismatch -> matchPortAt(a, R2, base + 2, p, mismatch));
        String ipv6Ports = freshLabel("ports6");
        a.label(tryIpv6);
        matchEtherType(a, Header.ETHERTYPE_IP6, onFalse);
        loadAt(a, R0, network() + 6, 1);
        jumpIfPortProtocol(a, ipv6Ports, onFalse);
        a.label(ipv6Ports).mov32(R2, 0);
        directions(a, p.direction(), onTrue, onFalse, next,
                mismatch -> matchPortAt(a, R2, base + 40, p, mismatch), mismatch -> matchPortAt(a, R2, base + 42, p, mismatch));
    }

    private static void jumpIfPortProtocol(Assembler a, String target, String otherwise) {
        a.jmp32(Opcode.BPF_JEQ, R0, 132, target)
                .jmp32(Opcode.BPF_JEQ, R0, PacketKeyLayout.IPPROTO_TCP, target)
                .jmp32(Opcode.BPF_JNE, R0, PacketKeyLayout.IPPROTO_UDP, otherwise);
    }

    private void matchPortAt(Assembler a, Reg index, int offset, Port p, String onMismatch) {
        loadAtIndex(a, R0, index, offset, 2);
        if (p.low() == p.high()) {
            a.jmp32(Opcode.BPF_JNE, R0, (int) p.low(), onMismatch);
            return;
        }
        a.jmp32(Opcode.BPF_JLT, R0, (int) p.low(), onMismatch)
                .jmp32(Opcode.BPF_JGT, R0, (int) p.high(), onMismatch);
    }

    // ---- relations ----------------------------------------------------------------------------

    private void matchRelation(Assembler a, Relation r, String onTrue, String onFalse, String next) {
        List<Header> headers = new ArrayList<>();
        collectHeaders(r.left(), headers);
        collectHeaders(r.right(), headers);
        for (Header h : headers) {
            guard(a, h, onFalse);
        }
        Reg left = VALUE_REGISTERS[0];
        evaluate(a, r.left(), 0);
        int failWhen = switch (r.comparison()) {
            case LT -> Opcode.BPF_JGE;
            case LE -> Opcode.BPF_JGT;
            case GT -> Opcode.BPF_JLE;
            case GE -> Opcode.BPF_JLT;
            case EQ -> Opcode.BPF_JNE;
            case NE -> Opcode.BPF_JEQ;
        };
        if (r.right() instanceof Value.Constant(long c)) {
            a.jmp32(failWhen, left, (int) c, onFalse);
        } else {
            evaluate(a, r.right(), 1);
            a.jmp32(failWhen, left, VALUE_REGISTERS[1], onFalse);
        }
        jumpUnlessNext(a, onTrue, next);
    }

    /** The headers the loads in {@code v} index, each once, in the order of the text. */
    private static void collectHeaders(Value v, List<Header> into) {
        switch (v) {
            case Value.Load l -> {
                collectHeaders(l.offset(), into);
                if (!into.contains(l.header())) {
                    into.add(l.header());
                }
            }
            case Value.Arithmetic ar -> {
                collectHeaders(ar.left(), into);
                collectHeaders(ar.right(), into);
            }
            case Value.Negation n -> collectHeaders(n.operand(), into);
            case Value.Constant c -> { }
            case Value.PacketLength l -> { }
        }
    }

    /** Falls through when the packet has {@code h}, as libpcap decides before a load from it. */
    private void guard(Assembler a, Header h, String onFalse) {
        switch (h) {
            case LINK -> requireLinkLayer("ether[...]");
            case ARP, RARP -> {
                requireLinkLayer(h.keyword() + "[...]");
                matchEtherType(a, h.etherType(), onFalse);
            }
            case IP, IP6 -> matchEtherType(a, h.etherType(), onFalse);
            case ICMP6 -> {
                matchEtherType(a, Header.ETHERTYPE_IP6, onFalse);
                loadAt(a, R0, network() + 6, 1);
                a.jmp32(Opcode.BPF_JNE, R0, h.protocol(), onFalse);
            }
            default -> {
                matchEtherType(a, Header.ETHERTYPE_IP, onFalse);
                loadAt(a, R0, network() + 9, 1);
                a.jmp32(Opcode.BPF_JNE, R0, h.protocol(), onFalse);
                loadAt(a, R0, network() + 6, 2);
                a.jmp32(Opcode.BPF_JSET, R0, 0x1FFF, onFalse);
            }
        }
    }

    /** VALUE_REGISTERS[depth] = v, as an unsigned 32-bit value. */
    private void evaluate(Assembler a, Value v, int depth) {
        Reg r = VALUE_REGISTERS[depth];
        switch (v) {
            case Value.Constant(long c) -> a.mov32(r, (int) c);
            case Value.PacketLength l -> {
                if (context.programType() == PacketContext.XDP.programType()) {
                    a.ldx(4, r, R6, XdpMdFields.DATA_END).ldx(4, R1, R6, XdpMdFields.DATA).sub64(r, R1);
                } else {
                    a.ldx(4, r, R6, SkBuffFields.LEN);
                }
            }
            case Value.Load l -> load(a, l, r, depth);
            case Value.Negation n -> {
                evaluate(a, n.operand(), depth);
                a.neg32(r);
            }
            case Value.Arithmetic ar -> {
                evaluate(a, ar.left(), depth);
                int op = aluOperation(ar.operator());
                if (ar.right() instanceof Value.Constant(long c)) {
                    a.alu32(op, r, (int) c);
                    return;
                }
                Reg right = VALUE_REGISTERS[depth + 1];
                evaluate(a, ar.right(), depth + 1);
                if (op == Opcode.BPF_DIV || op == Opcode.BPF_MOD) {
                    // Classic BPF rejects the packet on a division by zero; eBPF would yield 0.
                    a.jmp32(Opcode.BPF_JEQ, right, 0, rejectLabel);
                }
                a.alu32(op, r, right);
            }
        }
    }

    private void load(Assembler a, Value.Load l, Reg r, int depth) {
        Header h = l.header();
        int base = switch (h) {
            case LINK -> 0;
            case ICMP6 -> network() + 40;
            default -> network();
        };
        if (!h.isTransport() || h == Header.ICMP6) {
            if (l.offset() instanceof Value.Constant(long c)) {
                loadAt(a, r, base + c, l.size());
                return;
            }
            evaluate(a, l.offset(), depth);
            loadAtIndex(a, r, r, base, l.size());
            return;
        }
        evaluate(a, l.offset(), depth);
        ipv4HeaderLength(a, R1);
        a.add32(r, R1);
        loadAtIndex(a, r, r, base, l.size());
    }

    private static int aluOperation(Value.Operator op) {
        return switch (op) {
            case PLUS -> Opcode.BPF_ADD;
            case MINUS -> Opcode.BPF_SUB;
            case TIMES -> Opcode.BPF_MUL;
            case DIVIDE -> Opcode.BPF_DIV;
            case MODULO -> Opcode.BPF_MOD;
            case BIT_AND -> Opcode.BPF_AND;
            case BIT_OR -> Opcode.BPF_OR;
            case BIT_XOR -> Opcode.BPF_XOR;
            case SHIFT_LEFT -> Opcode.BPF_LSH;
            case SHIFT_RIGHT -> Opcode.BPF_RSH;
        };
    }

    private static byte[] maskBytes(int prefixLength, int size) {
        byte[] mask = new byte[size];
        for (int i = 0; i < size; i++) {
            mask[i] = Address.maskByte(prefixLength, i);
        }
        return mask;
    }

    private static int bigEndianInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
}
