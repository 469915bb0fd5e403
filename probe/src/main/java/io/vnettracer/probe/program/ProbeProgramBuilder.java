package io.vnettracer.probe.program;

import static io.vnettracer.bpf.asm.Reg.*;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Helper;
import io.vnettracer.bpf.btf.Btf;
import io.vnettracer.bpf.btf.BtfTracepoint;
import io.vnettracer.bpf.prog.AttachType;
import io.vnettracer.bpf.prog.ProgramSpec;
import io.vnettracer.bpf.prog.ProgramType;
import io.vnettracer.event.EventKind;
import io.vnettracer.probe.codegen.EventEmitter;
import io.vnettracer.probe.codegen.Frame;
import io.vnettracer.probe.codegen.SkbReader;
import io.vnettracer.probe.script.Action;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.probe.spec.ProbeSpec;
import io.vnettracer.event.EventLayout;
import io.vnettracer.event.PacketKeyLayout;
import io.vnettracer.bpf.prog.SkBuffFields;
import io.vnettracer.bpf.prog.TcxVerdict;
import io.vnettracer.probe.identity.TagScratch;
import io.vnettracer.probe.identity.TcpTagReader;
import io.vnettracer.probe.identity.UdpTagReader;
import io.vnettracer.probe.identity.UdpTagStripper;
import io.vnettracer.probe.identity.UdpTagWriter;
import io.vnettracer.probe.packet.KeyExtractor;
import io.vnettracer.probe.packet.PacketContext;
import java.util.List;
import java.util.Set;

/**
 * Turns one probe definition into its program: prologue, live enable/sample check, packet key,
 * scope (namespace, interface), filter, actions, verdict. Each step is one method below, named
 * after what it emits.
 */
public final class ProbeProgramBuilder {
    private static final String OUT = "out";
    private static final String DROP_TRACEPOINT = "kfree_skb";
    /**
     * Fires in tcp_recvmsg (and tcp_read_sock, zerocopy receive) after each chunk copied to the
     * application, once tp->copied_seq has moved past it (net/ipv4/tcp.c, tcp_input.c); a
     * MSG_PEEK read leaves copied_seq where it was.
     */
    private static final String TCP_READ_TRACEPOINT = "tcp_rcv_space_adjust";
    /** Fires when recvmsg returns, with the socket and the bytes read (net/socket.c). */
    private static final String READ_TRACEPOINT = "sock_recv_length";
    /** Fires when a UDP socket refuses a datagram it has filtered (net/ipv4/udp.c, __udp_queue_rcv_skb). */
    private static final String REFUSED_TRACEPOINT = "udp_fail_queue_rcv_skb";
    /** TCP header flags (include/net/tcp.h TCPHDR_FIN, TCPHDR_SYN). */
    private static final int TCP_FIN = 0x01;
    private static final int TCP_SYN = 0x02;
    /** MSG_PEEK from include/linux/socket.h: a read that leaves the datagram queued. */
    private static final int MSG_PEEK = 2;

    private final Btf btf;
    private final ProbeMaps maps;
    private final SkbReader skbReader;
    private final EventEmitter emitter;
    private final SocketOffsets socketOffsets;
    private final UdpReadPairing udpPairing;
    /** Aggregate mode's step, for probes with the histogram action; null when the session has none. */
    private final JourneyAggregation aggregation;

    public ProbeProgramBuilder(Btf btf, ProbeMaps maps) {
        this(btf, maps, null);
    }

    /** {@code aggregateMaps}: where probes with the histogram action aggregate (null: none may have it). */
    public ProbeProgramBuilder(Btf btf, ProbeMaps maps, AggregateMaps aggregateMaps) {
        this.aggregation = aggregateMaps == null ? null : new JourneyAggregation(aggregateMaps);
        this.btf = btf;
        this.maps = maps;
        this.skbReader = new SkbReader(btf);
        this.emitter = new EventEmitter(maps.ring(), maps.lost());
        this.socketOffsets = SocketOffsets.of(btf);
        this.udpPairing = new UdpReadPairing(maps.udpPairing());
    }

    /**
     * Builds the programs of probe {@code probeId} (most probes have one; a socket receive probe
     * four), a device probe attached to its hook on its own.
     */
    public List<ProbeProgram> build(int probeId, ProbeDefinition def, KeyFilter filter, ProbeScope scope,
                                    TagRole tagRole) {
        return build(probeId, def, filter, scope, tagRole, null);
    }

    /**
     * The same, a device probe run by its hook's dispatcher from {@code chain}'s slot (null: attached
     * on its own); {@code chain} is ignored for other probes.
     */
    public List<ProbeProgram> build(int probeId, ProbeDefinition def, KeyFilter filter, ProbeScope scope,
                                    TagRole tagRole, HookChain chain) {
        return build(probeId, def, filter, scope, tagRole, chain, false);
    }

    /**
     * The same; {@code terminal}: in aggregate mode (the histogram action) a packet's journey in this
     * kernel ends at this probe ({@link JourneyAggregation}).
     */
    public List<ProbeProgram> build(int probeId, ProbeDefinition def, KeyFilter filter, ProbeScope scope,
                                    TagRole tagRole, HookChain chain, boolean terminal) {
        if (def.actions().contains(Action.HISTOGRAM) && aggregation == null) {
            throw new IllegalStateException("probe '" + def.name() + "' aggregates (histogram) but the session has no aggregate maps");
        }
        boolean aggregated = def.actions().contains(Action.HISTOGRAM);
        return switch (def.spec()) {
            case ProbeSpec.Device d -> List.of(deviceProbe(probeId, def, filter, scope, d, tagRole, chain, terminal));
            case ProbeSpec.Socket s when s.point() == ProbeSpec.SocketPoint.SEND -> List.of(socketSendProbe(probeId, def, filter, scope));
            case ProbeSpec.Kernel k -> List.of(tracepointProbe(probeId, def, filter, scope, k.tracepoint(), EventKind.PACKET, 0, terminal));
            case ProbeSpec.Drops d -> List.of(tracepointProbe(probeId, def, filter, scope, DROP_TRACEPOINT, EventKind.DROP, 0, false));
            // Aggregated, a TCP segment's journey ends as it reaches its socket: no read to pair it with.
            case ProbeSpec.Socket s when s.point() == ProbeSpec.SocketPoint.RECV && aggregated -> List.of(
                    socketQueuedProbe(probeId, def, filter, scope),
                    udpReadProbe(probeId, def, scope),
                    udpRefusedProbe(probeId, def, scope));
            case ProbeSpec.Socket s when s.point() == ProbeSpec.SocketPoint.RECV -> List.of(
                    socketQueuedProbe(probeId, def, filter, scope),
                    udpReadProbe(probeId, def, scope),
                    tcpReadProbe(probeId, def, scope),
                    udpRefusedProbe(probeId, def, scope));
            case ProbeSpec.Socket s -> throw new IllegalStateException("unknown socket probe point " + s.point());
        };
    }

    /** A tp_btf probe; {@code onlyProtocol} (non-zero) keeps packets of that IP protocol only. */
    private ProbeProgram tracepointProbe(int probeId, ProbeDefinition def, KeyFilter filter, ProbeScope scope,
                                         String tracepoint, EventKind kind, int onlyProtocol, boolean terminal) {
        BtfTracepoint tp = btf.tracepoint(tracepoint);
        Assembler a = new Assembler();
        EventEmitter.clearFrame(a);
        SkbReader.loadArgument(a, R9, tp.argIndex("skb"));
        if (kind == EventKind.DROP) {
            a.ldx(8, R2, R1, 8 * tp.argIndex("reason"))
                    .stx(8, R10, Frame.EXTRA, R2);
        }
        checkEnabledAndSample(a, probeId);
        skbReader.readMetadata(a);
        checkScope(a, scope);
        skbReader.readKey(a);
        if (onlyProtocol != 0) {
            a.ldx(1, R1, R10, Frame.KEY + PacketKeyLayout.PROTOCOL)
                    .jne(R1, onlyProtocol, OUT);
        }
        filter.emit(a, Frame.KEY, 0, OUT);
        actions(a, probeId, def.actions(), kind, terminal);
        a.label(OUT).mov64(R0, 0).exit();
        ProgramSpec spec = ProgramSpec.of(programName(def.name()), ProgramType.TRACING, a.assemble())
                .withAttach(AttachType.TRACE_RAW_TP, tp.attachId());
        return new ProbeProgram(spec, ProbeProgram.Hook.TRACEPOINT, tracepoint);
    }



    /**
     * A tc probe: the key from the packet itself, tags read or stripped before anything can skip the
     * packet (a tagged packet must not reach a traced application with its trailer), then the
     * enable/sample check, the filter, tagging, actions. Always lets the packet go on (TCX_NEXT),
     * through the later probes of its hook's chain if it is in one.
     */
    private ProbeProgram deviceProbe(int probeId, ProbeDefinition def, KeyFilter filter, ProbeScope scope,
                                     ProbeSpec.Device d, TagRole role, HookChain chain, boolean terminal) {
        Assembler a = new Assembler();
        a.mov64(R6, R1);
        EventEmitter.clearFrameSlots(a);
        new KeyExtractor(PacketContext.TC, Frame.KEY, "key").emit(a);
        TagScratch scratch = new TagScratch(Frame.TAG_SCRATCH);
        if (role == TagRole.READ) {
            readTag(a, scratch);
        } else if (role == TagRole.STRIP) {
            new UdpTagStripper(maps.tagCounters()).emit(a, R6, R9, scratch);
            a.stx(8, R10, Frame.TAG, R9);
            a.jeq(R9, 0, "untagged")
                    .st(8, R10, Frame.FLAGS, EventLayout.FLAG_TAG_STRIPPED)
                    .ja("strip_done")
                    .label("untagged");
            // TCP tags are header options the receiving stack ignores: read, never stripped.
            TcpTagReader.emit(a, R6, R9, scratch);
            a.stx(8, R10, Frame.TAG, R9)
                    .label("strip_done");
        }
        checkEnabledAndSample(a, probeId);
        a.ldx(4, R1, R6, SkBuffFields.LEN).stx(8, R10, Frame.SKB_LENGTH, R1)
                .ldx(4, R1, R6, SkBuffFields.IFINDEX).stx(8, R10, Frame.IFINDEX, R1)
                // The device's namespace, resolved at attach: a constant, not a helper call per packet.
                .ldImm64(R1, scope.netnsCookie())
                .stx(8, R10, Frame.NETNS_COOKIE, R1);
        filter.emit(a, Frame.KEY, PacketContext.TC.linkHeaderLength(), OUT);
        if (role == TagRole.WRITE) {
            if (scope.mtu() <= 0) {
                throw new IllegalStateException("probe '" + def.name() + "': the MTU of " + d.iface() + " is unknown");
            }
            new UdpTagWriter(maps.tagCounters(), scope.mtu()).emit(a, R6, R9, scratch);
            // A TCP packet's tag was written by the sock_ops program as the segment was built; this
            // is the first probe to see it, so it reports the tag as inserted here too.
            a.jne(R9, 0, "tag_flags_set");
            TcpTagReader.emit(a, R6, R9, scratch);
            a.label("tag_flags_set")
                    .stx(8, R10, Frame.TAG, R9)
                    .mov64(R1, EventLayout.FLAG_TAG_SKIPPED)
                    .jeq(R9, 0, "tag_flags")
                    .mov64(R1, EventLayout.FLAG_TAG_INSERTED)
                    .label("tag_flags")
                    .stx(8, R10, Frame.FLAGS, R1);
        }
        actions(a, probeId, def.actions(), EventKind.PACKET, terminal);
        a.label(OUT);
        if (chain == null) {
            a.mov64(R0, TcxVerdict.NEXT).exit();
        } else {
            chain.emitHandOn(a, R6);
        }
        ProgramSpec spec = ProgramSpec.of(programName(def.name()), ProgramType.SCHED_CLS, a.assemble())
                .withAttach(d.direction() == ProbeSpec.Direction.INGRESS ? AttachType.TCX_INGRESS : AttachType.TCX_EGRESS);
        ProbeProgram.Hook hook = d.direction() == ProbeSpec.Direction.INGRESS
                ? ProbeProgram.Hook.TCX_INGRESS : ProbeProgram.Hook.TCX_EGRESS;
        return new ProbeProgram(spec, hook, null);
    }

    /**
     * The socket send probe: cgroup_skb egress on the root cgroup sees every packet a local socket
     * hands to IP, with its namespace; packets of other namespaces are skipped.
     */
    private ProbeProgram socketSendProbe(int probeId, ProbeDefinition def, KeyFilter filter, ProbeScope scope) {
        Assembler a = new Assembler();
        a.mov64(R6, R1);
        EventEmitter.clearFrameSlots(a);
        checkEnabledAndSample(a, probeId);
        a.mov64(R1, R6)
                .call(Helper.GET_NETNS_COOKIE)
                .stx(8, R10, Frame.NETNS_COOKIE, R0)
                .ldx(4, R1, R6, SkBuffFields.LEN).stx(8, R10, Frame.SKB_LENGTH, R1)
                .ldx(4, R1, R6, SkBuffFields.IFINDEX).stx(8, R10, Frame.IFINDEX, R1);
        checkScope(a, new ProbeScope(scope.netnsCookie(), 0, 0));
        new KeyExtractor(PacketContext.CGROUP_SKB, Frame.KEY, "key").emit(a);
        filter.emit(a, Frame.KEY, PacketContext.CGROUP_SKB.linkHeaderLength(), OUT);
        // The sending socket, so that the session can tell a TCP retransmission by its sequence range.
        a.mov64(R1, R6)
                .call(Helper.GET_SOCKET_COOKIE)
                .stx(8, R10, Frame.EXTRA, R0);
        actions(a, probeId, def.actions(), EventKind.PACKET, false);
        // cgroup_skb: 1 lets the packet through.
        a.label(OUT).mov64(R0, 1).exit();
        ProgramSpec spec = ProgramSpec.of(programName(def.name()), ProgramType.CGROUP_SKB, a.assemble())
                .withAttach(AttachType.CGROUP_INET_EGRESS);
        return new ProbeProgram(spec, ProbeProgram.Hook.CGROUP_EGRESS, null);
    }

    /**
     * Socket receive, arrival: cgroup_skb ingress on the root cgroup runs as a packet reaches its
     * socket (sk_filter, after GRO and netfilter's INPUT), written with the socket cookie.
     *
     * <p>UDP: nothing is written here; every datagram of the namespace is kept in the kernel's
     * pairing queue ({@link UdpReadPairing}), those the filter rejects marked FLAG_FILTERED_OUT, so
     * that each read takes the right one. TCP: segments the filter matches that have payload (the
     * session pairs them with reads by sequence range) or SYN or FIN (they end at their arrival);
     * pure ACKs are not written. Sampling does not apply here: a skipped datagram would shift every
     * later pairing.
     */
    private ProbeProgram socketQueuedProbe(int probeId, ProbeDefinition def, KeyFilter filter, ProbeScope scope) {
        Assembler a = new Assembler();
        a.mov64(R6, R1);
        EventEmitter.clearFrameSlots(a);
        a.mov64(R1, R6)
                .call(Helper.GET_NETNS_COOKIE)
                .stx(8, R10, Frame.NETNS_COOKIE, R0);
        checkScope(a, new ProbeScope(scope.netnsCookie(), 0, 0));
        new KeyExtractor(PacketContext.CGROUP_SKB, Frame.KEY, "key").emit(a);
        a.ldx(1, R1, R10, Frame.KEY + PacketKeyLayout.PROTOCOL)
                .jeq(R1, PacketKeyLayout.IPPROTO_UDP, "transport_ok")
                .jne(R1, PacketKeyLayout.IPPROTO_TCP, OUT)
                // TCP: segments with payload, and SYN and FIN without (they end here: a FIN purged at
                // close is then known to have reached its socket). Pure ACKs are not recorded.
                .ldx(4, R1, R10, Frame.KEY + PacketKeyLayout.IP_LENGTH)
                .ldx(1, R2, R10, Frame.KEY + PacketKeyLayout.HEADERS_LENGTH)
                .jgt(R1, R2, "transport_ok")
                .ldx(1, R1, R10, Frame.KEY + PacketKeyLayout.TCP_FLAGS)
                .jset(R1, TCP_SYN | TCP_FIN, "transport_ok");
        if (def.actions().contains(Action.HISTOGRAM)) {
            aggregation.atSocketWithoutPayload(a);
        }
        a.ja(OUT)
                .label("transport_ok")
                .ldx(4, R1, R6, SkBuffFields.LEN).stx(8, R10, Frame.SKB_LENGTH, R1)
                .ldx(4, R1, R6, SkBuffFields.IFINDEX).stx(8, R10, Frame.IFINDEX, R1)
                .mov64(R1, R6)
                .call(Helper.GET_SOCKET_COOKIE)
                .stx(8, R10, Frame.EXTRA, R0);
        // Marked as filtered out unless the filter matches (no branch at all for an empty filter).
        a.st(8, R10, Frame.FLAGS, EventLayout.FLAG_FILTERED_OUT);
        filter.emit(a, Frame.KEY, PacketContext.CGROUP_SKB.linkHeaderLength(), "queued");
        a.st(8, R10, Frame.FLAGS, 0)
                .label("queued")
                .ldx(1, R1, R10, Frame.KEY + PacketKeyLayout.PROTOCOL)
                .jne(R1, PacketKeyLayout.IPPROTO_TCP, "udp")
                .ldx(8, R1, R10, Frame.FLAGS)
                .jne(R1, 0, OUT);
        if (def.actions().contains(Action.HISTOGRAM)) {
            checkEnabledAndSample(a, probeId);
            aggregation.atPathProbe(a, probeId, true);
        } else {
            emitter.emit(a, probeId, EventKind.SOCKET_QUEUED);
        }
        a.ja(OUT).label("udp");
        // Even the datagrams the filter rejected: a read must know which one it takes.
        udpPairing.queue(a, probeId, OUT);
        a.label(OUT).mov64(R0, 1).exit();
        ProgramSpec spec = ProgramSpec.of(programName(def.name()), ProgramType.CGROUP_SKB, a.assemble())
                .withAttach(AttachType.CGROUP_INET_INGRESS);
        return new ProbeProgram(spec, ProbeProgram.Hook.CGROUP_INGRESS, null);
    }

    /**
     * UDP receive, the read: sock_recv_length as recvmsg returns, for UDP sockets of the namespace;
     * takes the oldest datagram the kernel queued for the socket ({@link UdpReadPairing}) and writes
     * it as a packet event at the read's time, with what was seen of it at its arrival. Sampling,
     * live enabling and the actions apply here, after the pairing (which must see every read).
     */
    private ProbeProgram udpReadProbe(int probeId, ProbeDefinition def, ProbeScope scope) {
        BtfTracepoint tp = btf.tracepoint(READ_TRACEPOINT);
        Assembler a = new Assembler();
        EventEmitter.clearFrame(a);
        a.ldx(8, R9, R1, 8 * tp.argIndex("sk"))
                .ldx(8, R2, R1, 8 * tp.argIndex("ret"))
                .ldx(8, R3, R1, 8 * tp.argIndex("flags"))
                // ret is an int: its u64 slot is not sign-extended, so compare 32 bits.
                .jmp32(io.vnettracer.bpf.asm.Opcode.BPF_JSLE, R2, 0, OUT)
                .jset(R3, MSG_PEEK, OUT);
        socketOfProtocol(a, PacketKeyLayout.IPPROTO_UDP, scope);
        udpPairing.read(a, probeId, OUT);
        checkEnabledAndSample(a, probeId);
        actions(a, probeId, def.actions(), EventKind.PACKET, true);
        a.label(OUT).mov64(R0, 0).exit();
        ProgramSpec spec = ProgramSpec.of(programName(def.name()), ProgramType.TRACING, a.assemble())
                .withAttach(AttachType.TRACE_RAW_TP, tp.attachId());
        return new ProbeProgram(spec, ProbeProgram.Hook.TRACEPOINT, READ_TRACEPOINT);
    }

    /**
     * TCP receive, the read: after each chunk a read copies, the socket's copied sequence (the
     * first byte not yet read), written in wire order where a key holds TCP's sequence number, with
     * the socket cookie; the session delivers every arrived segment that ends at or before it.
     */
    private ProbeProgram tcpReadProbe(int probeId, ProbeDefinition def, ProbeScope scope) {
        BtfTracepoint tp = btf.tracepoint(TCP_READ_TRACEPOINT);
        Assembler a = new Assembler();
        EventEmitter.clearFrame(a);
        a.ldx(8, R9, R1, 8 * tp.argIndex("sk"));
        socketOfProtocol(a, PacketKeyLayout.IPPROTO_TCP, scope);
        // copied_seq lies beyond struct sock, where the verifier lets a tp_btf program read directly.
        a.mov64(R1, R10).add64(R1, Frame.KEY + PacketKeyLayout.L4_DATA)
                .mov64(R2, 4)
                .mov64(R3, R9).add64(R3, socketOffsets.copiedSeq())
                .call(Helper.PROBE_READ_KERNEL)
                .jne(R0, 0, OUT)
                .ldx(4, R1, R10, Frame.KEY + PacketKeyLayout.L4_DATA)
                .toBigEndian(R1, 32)
                .stx(4, R10, Frame.KEY + PacketKeyLayout.L4_DATA, R1)
                .st(1, R10, Frame.KEY + PacketKeyLayout.PROTOCOL, PacketKeyLayout.IPPROTO_TCP);
        emitter.emit(a, probeId, EventKind.SOCKET_READ);
        a.label(OUT).mov64(R0, 0).exit();
        ProgramSpec spec = ProgramSpec.of(programName(def.name()), ProgramType.TRACING, a.assemble())
                .withAttach(AttachType.TRACE_RAW_TP, tp.attachId());
        return new ProbeProgram(spec, ProbeProgram.Hook.TRACEPOINT, TCP_READ_TRACEPOINT);
    }

    /**
     * UDP receive, third part: a datagram that passed the socket filter but did not fit the receive
     * buffer is taken back out of the kernel's pairing queue; the drop itself is the drop probe's
     * business. Writes nothing.
     */
    private ProbeProgram udpRefusedProbe(int probeId, ProbeDefinition def, ProbeScope scope) {
        BtfTracepoint tp = btf.tracepoint(REFUSED_TRACEPOINT);
        Assembler a = new Assembler();
        EventEmitter.clearFrame(a);
        a.ldx(8, R9, R1, 8 * tp.argIndex("sk"));
        socketOfProtocol(a, PacketKeyLayout.IPPROTO_UDP, scope);
        udpPairing.refuse(a, probeId, OUT);
        a.label(OUT).mov64(R0, 0).exit();
        ProgramSpec spec = ProgramSpec.of(programName(def.name()), ProgramType.TRACING, a.assemble())
                .withAttach(AttachType.TRACE_RAW_TP, tp.attachId());
        return new ProbeProgram(spec, ProbeProgram.Hook.TRACEPOINT, REFUSED_TRACEPOINT);
    }

    /**
     * From R9 = a struct sock: goes to out unless it is of {@code protocol} and in the probe's
     * namespace; writes its namespace cookie and its socket cookie (EXTRA) into the frame.
     */
    private void socketOfProtocol(Assembler a, int protocol, ProbeScope scope) {
        a.ldx(2, R1, R9, socketOffsets.protocol())
                .jne(R1, protocol, OUT)
                .ldx(8, R1, R9, socketOffsets.net())
                .jeq(R1, 0, OUT)
                .ldx(8, R2, R1, socketOffsets.netCookie())
                .stx(8, R10, Frame.NETNS_COOKIE, R2)
                .ldx(8, R1, R9, socketOffsets.cookie())
                .stx(8, R10, Frame.EXTRA, R1);
        checkScope(a, new ProbeScope(scope.netnsCookie(), 0, 0));
    }

    /** Offsets in struct sock and tcp_sock (from BTF) the socket probes read. */
    private record SocketOffsets(int protocol, int net, int netCookie, int cookie, int copiedSeq) {
        static SocketOffsets of(Btf btf) {
            return new SocketOffsets(
                    (int) btf.member("sock", "sk_protocol").byteOffset(),
                    (int) btf.member("sock", "__sk_common.skc_net.net").byteOffset(),
                    (int) btf.member("net", "net_cookie").byteOffset(),
                    (int) btf.member("sock", "__sk_common.skc_cookie").byteOffset(),
                    (int) btf.member("tcp_sock", "copied_seq").byteOffset());
        }
    }

    /** The tag of a UDP trailer, else of a TCP option, into the frame (0 if neither). */
    private static void readTag(Assembler a, TagScratch scratch) {
        UdpTagReader.emit(a, R6, R9, scratch);
        a.jne(R9, 0, "read_tag_done");
        TcpTagReader.emit(a, R6, R9, scratch);
        a.label("read_tag_done")
                .stx(8, R10, Frame.TAG, R9);
    }

    /** Goes to out unless config[probeId] says enabled and, for sample 1/N, a random draw hits. */
    private void checkEnabledAndSample(Assembler a, int probeId) {
        a.st(4, R10, Frame.MAP_KEY, probeId)
                .mov64(R2, R10)
                .add64(R2, Frame.MAP_KEY)
                .ldMapFd(R1, maps.config().fd().get())
                .call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, OUT)
                .ldx(4, R1, R0, ProbeMaps.CONFIG_ENABLED)
                .jeq(R1, 0, OUT)
                .ldx(4, R7, R0, ProbeMaps.CONFIG_SAMPLE_EVERY)
                .jle(R7, 1, "sampled")
                .call(Helper.GET_PRANDOM_U32)
                .mod64(R0, R7)
                .jne(R0, 0, OUT)
                .label("sampled");
    }

    /** Goes to out for packets of another namespace or interface than the probe's. */
    private static void checkScope(Assembler a, ProbeScope scope) {
        if (scope.netnsCookie() != 0) {
            a.ldx(8, R1, R10, Frame.NETNS_COOKIE)
                    .ldImm64(R2, scope.netnsCookie())
                    .jne(R1, R2, OUT);
        }
        if (scope.ifindex() != 0) {
            a.ldx(8, R1, R10, Frame.IFINDEX)
                    .jne(R1, scope.ifindex(), OUT);
        }
    }

    private void actions(Assembler a, int probeId, Set<Action> actions, EventKind kind, boolean terminal) {
        if (actions.contains(Action.COUNT)) {
            count(a, probeId);
        }
        if (actions.contains(Action.HISTOGRAM)) {
            if (kind == EventKind.DROP) {
                aggregation.atDropProbe(a, probeId);
            } else {
                aggregation.atPathProbe(a, probeId, terminal);
            }
        }
        if (actions.contains(Action.RECORD)) {
            emitter.emit(a, probeId, kind);
        }
    }

    /** counters[probeId] += {1 packet, skb->len bytes}; per-CPU, so plain adds suffice. */
    private void count(Assembler a, int probeId) {
        String skip = "count_skip";
        a.st(4, R10, Frame.MAP_KEY, probeId)
                .mov64(R2, R10)
                .add64(R2, Frame.MAP_KEY)
                .ldMapFd(R1, maps.counters().fd().get())
                .call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, skip)
                .ldx(8, R1, R0, ProbeMaps.COUNTER_PACKETS)
                .add64(R1, 1)
                .stx(8, R0, ProbeMaps.COUNTER_PACKETS, R1)
                .ldx(8, R1, R0, ProbeMaps.COUNTER_BYTES)
                .ldx(8, R2, R10, Frame.SKB_LENGTH)
                .add64(R1, R2)
                .stx(8, R0, ProbeMaps.COUNTER_BYTES, R1)
                .label(skip);
    }

    /** Kernel program names: 15 characters; probe names are longer, so keep the tail that differs. */
    static String programName(String probeName) {
        String n = "vnt_" + probeName;
        return n.length() <= 15 ? n : n.substring(0, 15);
    }
}
