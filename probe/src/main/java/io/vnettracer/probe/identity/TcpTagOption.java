package io.vnettracer.probe.identity;

import static io.vnettracer.bpf.asm.Reg.*;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Helper;
import io.vnettracer.bpf.asm.Instructions;
import io.vnettracer.bpf.map.BpfMap;

/**
 * The TCP tag: a shared experimental option (RFC 6994) on every segment a socket sends,
 * {@code kind 254, length 8, ExID (2 bytes), id (4 bytes)}, all in network order. A sock_ops
 * program attached to a cgroup writes it for the sockets of that cgroup's processes: the kernel
 * makes room for it (HDR_OPT_LEN_CB) and lets the program fill it (WRITE_HDR_OPT_CB) each time it
 * builds a segment. {@link TcpTagReader} reads it at tc hooks. Receivers ignore an option they do
 * not know (RFC 9293), so untraced peers are unaffected.
 *
 * <p>The ExID is not registered with IANA: pick one that the network does not already use;
 * {@link #DEFAULT_EXID} spells "VN".
 *
 * <p>The id is drawn per skb the TCP stack transmits (each call of WRITE_HDR_OPT_CB), not per wire
 * segment: a GSO skb (TSO, or the software GSO Linux TCP uses whenever it can) is cut into
 * segments after its header is built, and every segment gets a copy of that header, id included.
 * Where the device takes one segment per skb ({@code gso_max_segs 1}) every wire segment has its
 * own id. A retransmission is built again and draws a new id. {@code TcpTagPathTest} shows both.
 *
 * <p>The cgroup decides which processes' sockets are tagged; {@code netnsCookie}, when nonzero,
 * narrows that to the sockets of one network namespace (a cgroup spans namespaces: a container's
 * processes and a shell that entered another namespace share it). The namespace is checked once
 * per connection, when the option callbacks are turned on, with bpf_get_netns_cookie, which
 * sock_ops programs may call from Linux 5.15 (5.13 and older lack it: there a scoped program is
 * refused at load and only an unscoped one, cookie 0, works). Sockets of other namespaces are not
 * touched at all: their segments get neither the option nor its 8 bytes of room.
 *
 * @param counters a {@link TagCounter#mapSpec per-CPU counter map}: a segment without room for
 *     the option counts as {@link TagCounter#OPTION_NO_ROOM}, a refused write as
 *     {@link TagCounter#OPTION_WRITE_FAILED}
 * @param exid the 16-bit experiment id that tells our option from others of kind 254
 * @param netnsCookie the cookie of the only network namespace whose sockets are tagged
 *     ({@link io.vnettracer.bpf.sys.NetnsCookie#current()} inside it), or 0 for every namespace
 */
public record TcpTagOption(BpfMap counters, int exid, long netnsCookie) {
    /** TCPOPT_EXP, include/net/tcp.h. */
    public static final int KIND = 254;
    /** Bytes of the option: kind, length, ExID, id. */
    public static final int LENGTH = 8;
    public static final int DEFAULT_EXID = 0x564E;

    public TcpTagOption {
        CounterIncrement.requireCounterMap(counters);
        if (exid < 0 || exid > 0xFFFF) {
            throw new IllegalArgumentException("an ExID is 16 bits, not " + exid);
        }
    }

    /** Tags the sockets of every network namespace. */
    public TcpTagOption(BpfMap counters, int exid) {
        this(counters, exid, 0);
    }

    /** The whole sock_ops program (attach type BPF_CGROUP_SOCK_OPS). */
    public Instructions program() {
        TagScratch scratch = new TagScratch(-TagScratch.SIZE);
        Assembler a = new Assembler();
        a.mov64(R6, R1)
                .ldx(4, R2, R6, SockOps.OP)
                .jeq(R2, SockOps.TCP_CONNECT_CB, "enable")
                .jeq(R2, SockOps.ACTIVE_ESTABLISHED_CB, "enable")
                .jeq(R2, SockOps.PASSIVE_ESTABLISHED_CB, "enable")
                .jeq(R2, SockOps.HDR_OPT_LEN_CB, "reserve")
                .jeq(R2, SockOps.WRITE_HDR_OPT_CB, "write")
                .ja("out");
        // Turned on at connect, so that the SYN carries the option too.
        a.label("enable");
        emitNamespaceCheck(a);
        a.mov64(R1, R6)
                .ldx(4, R2, R6, SockOps.CB_FLAGS)
                .or64(R2, SockOps.WRITE_HDR_OPT_CB_FLAG)
                .call(Helper.SOCK_OPS_CB_FLAGS_SET)
                .ja("out");
        a.label("reserve")
                .mov64(R1, R6)
                .mov64(R2, LENGTH)
                .mov64(R3, 0)
                .call(Helper.RESERVE_HDR_OPT)
                .jeq(R0, 0, "out")
                .mov64(R1, TagCounter.OPTION_NO_ROOM.ordinal())
                .ja("count");
        emitWrite(a, scratch);
        a.label("count");
        CounterIncrement.emit(a, counters, scratch);
        return a.label("out")
                .mov64(R0, 1)
                .exit()
                .assemble();
    }

    /** Goes to "out" unless the socket is in the namespace of {@link #netnsCookie} (if one is set). */
    private void emitNamespaceCheck(Assembler a) {
        if (netnsCookie == 0) {
            return;
        }
        a.mov64(R1, R6)
                .call(Helper.GET_NETNS_COOKIE)
                .ldImm64(R1, netnsCookie)
                .jne(R0, R1, "out");
    }

    private void emitWrite(Assembler a, TagScratch s) {
        int header = KIND | LENGTH << 8 | Short.reverseBytes((short) exid) << 16 & 0xFFFF0000;
        a.label("write")
                .call(Helper.GET_PRANDOM_U32)
                .jne(R0, 0, "id_nonzero")
                .mov64(R0, 1)
                .label("id_nonzero")
                .toBigEndian(R0, 32)
                .st(4, R10, s.trailer(), header)
                .stx(4, R10, s.trailer() + 4, R0)
                .mov64(R1, R6)
                .mov64(R2, R10)
                .add64(R2, s.trailer())
                .mov64(R3, LENGTH)
                .mov64(R4, 0)
                .call(Helper.STORE_HDR_OPT)
                .jeq(R0, 0, "out")
                .mov64(R1, TagCounter.OPTION_WRITE_FAILED.ordinal())
                .ja("count");
    }

    /**
     * The id of our option among a TCP header's options, or 0 if it has none; {@code tcpHeader} may
     * end early (a truncated capture), and then only the options it holds whole count. The same
     * walk as {@link TcpTagReader}'s, which the tests hold it to.
     */
    public int idIn(byte[] tcpHeader) {
        int dataOffset = (tcpHeader[12] & 0xF0) >>> 2;
        int i = 20;
        while (i < dataOffset && i < tcpHeader.length) {
            int kind = tcpHeader[i] & 0xFF;
            if (kind == 0) {
                return 0;
            }
            if (kind == 1) {
                i++;
                continue;
            }
            if (i + 1 >= tcpHeader.length) {
                return 0;
            }
            int length = tcpHeader[i + 1] & 0xFF;
            if (length < 2 || i + length > dataOffset) {
                return 0;                                      // malformed: the receiver stops here too
            }
            if (kind == KIND && length == LENGTH && i + LENGTH <= tcpHeader.length
                    && ((tcpHeader[i + 2] & 0xFF) << 8 | (tcpHeader[i + 3] & 0xFF)) == exid) {
                return (tcpHeader[i + 4] & 0xFF) << 24 | (tcpHeader[i + 5] & 0xFF) << 16
                        | (tcpHeader[i + 6] & 0xFF) << 8 | (tcpHeader[i + 7] & 0xFF);
            }
            i += length;
        }
        return 0;
    }
}
