package io.vnettracer.probe.program;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.btf.Btf;
import io.vnettracer.bpf.features.MountTable;
import io.vnettracer.bpf.link.Link;
import io.vnettracer.bpf.netns.NetNamespace;
import io.vnettracer.bpf.prog.AttachType;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.ringbuf.RingBufferReader;
import io.vnettracer.bpf.sys.LibC;
import io.vnettracer.bpf.sys.NetnsCookie;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.VethPair;
import io.vnettracer.event.EventKind;
import io.vnettracer.event.EventView;
import io.vnettracer.probe.program.UdpPairingMaps.Counter;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.probe.spec.ProbeSpecParser;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The UDP socket receive probe's programs, loaded and attached as a session does, on real
 * datagrams: each datagram the application reads is one ring-buffer record (it was two: queued,
 * read), written at the read (between the application's call and its return, after every
 * datagram had arrived), naming the datagram the application got. Datagrams the filter rejects
 * are paired (so later reads stay right) and written nowhere.
 */
class UdpReadPairingTest {
    private static final int PORT = 40930;
    private static final int OTHER_PORT = 40931;
    private static final int DATAGRAMS = 40;
    private static final int PROBE = 5;

    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void eachDatagramReadIsOneRecordAtTheReadNamingWhatTheApplicationGot() throws Exception {
        Path cgroupRoot = Path.of(MountTable.ofCurrentProcess().firstOfType("cgroup2").orElseThrow().mountPoint());
        try (VethPair net = new VethPair("vupr", 93);
             DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(net.outerAddress, PORT));
             DatagramSocket rejected = new DatagramSocket(new InetSocketAddress(net.outerAddress, OTHER_PORT));
             ProbeMaps maps = new ProbeMaps(1 << 20)) {
            ProbeDefinition def = ProbeDefinition.recording("app_rx", ProbeSpecParser.parse("sock::recv"));
            List<ProbeProgram> parts = new ProbeProgramBuilder(Btf.kernel(), maps).build(PROBE, def,
                    KeyFilter.of("udp and port " + PORT), new ProbeScope(NetnsCookie.current(), 0, 0), TagRole.NONE);
            maps.configure(PROBE, true, 1);
            List<Program> programs = new ArrayList<>();
            List<Link> links = new ArrayList<>();
            long[] readStart = new long[DATAGRAMS];
            long[] readEnd = new long[DATAGRAMS];
            long allArrived;
            List<EventView> records = new ArrayList<>();
            try (RingBufferReader ring = new RingBufferReader(maps.ring())) {
                for (ProbeProgram part : parts) {
                    Program p = Program.load(part.spec());
                    programs.add(p);
                    links.add(attach(part, p, cgroupRoot));
                }
                try (NetNamespace ns = NetNamespace.named(net.namespace)) {
                    ns.execute(() -> {
                        try (DatagramSocket sender = new DatagramSocket()) {
                            for (int i = 0; i < DATAGRAMS; i++) {
                                byte[] payload = new byte[16 + i];
                                ByteBuffer.wrap(payload).putLong(i);
                                // Interleaved with datagrams the filter rejects, read in between.
                                sender.send(new DatagramPacket(payload, payload.length, new InetSocketAddress(net.outerAddress, PORT)));
                                sender.send(new DatagramPacket(payload, payload.length, new InetSocketAddress(net.outerAddress, OTHER_PORT)));
                            }
                        }
                    });
                }
                Thread.sleep(50);
                allArrived = System.nanoTime();
                byte[] buf = new byte[256];
                receiver.setSoTimeout(2000);
                rejected.setSoTimeout(2000);
                for (int i = 0; i < DATAGRAMS; i++) {
                    readStart[i] = System.nanoTime();
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    receiver.receive(p);
                    readEnd[i] = System.nanoTime();
                    assertEquals(i, ByteBuffer.wrap(buf).getLong(0), "the application reads in order");
                    rejected.receive(new DatagramPacket(buf, buf.length));
                }
                ring.drain((buffer, offset, length) -> {
                    EventView v = new EventView().wrap(buffer, offset);
                    if (v.dstPort() == PORT || v.dstPort() == OTHER_PORT) {
                        records.add(new EventView().wrap(copy(buffer, offset, length), 0));
                    }
                });
            } finally {
                links.forEach(Link::close);
                programs.forEach(Program::close);
            }

            assertEquals(DATAGRAMS, records.size(), "one record per datagram read: " + records.stream()
                    .map(r -> r.kind() + ":" + r.dstPort()).toList());
            for (EventView r : records) {
                int seq = (int) r.l4Data();
                assertEquals(EventKind.PACKET, r.kind());
                assertEquals(PORT, r.dstPort());
                assertTrue(seq >= 0 && seq < DATAGRAMS, "seq " + seq);
                assertTrue(r.timestamp() > allArrived, "written at the read, not at the arrival");
                assertTrue(r.timestamp() >= readStart[seq] && r.timestamp() <= readEnd[seq],
                        "datagram " + seq + " read between " + readStart[seq] + " and " + readEnd[seq] + ", recorded at " + r.timestamp());
                assertEquals(16 + seq + 28, r.ipLength());
                assertEquals(16 + seq + 28, r.skbLength(), "the length seen at the arrival");
                assertEquals(LibC.ifNameToIndex(net.outer), r.ifindex());
                assertEquals(NetnsCookie.current(), r.netnsCookie());
                assertEquals(net.innerAddress, ip(r.srcIpv4()));
            }
            Map<Counter, Long> counts = maps.udpPairing().counts(PROBE);
            assertEquals(DATAGRAMS, counts.get(Counter.PAIRED), counts.toString());
            assertEquals(DATAGRAMS, counts.get(Counter.FILTERED_OUT), counts.toString());
            assertEquals(0, counts.get(Counter.UNPAIRED_READS), counts.toString());
            assertEquals(0, counts.get(Counter.MISSING), counts.toString());
            assertEquals(0, maps.udpPairing().unread(PROBE), "every datagram queued was read");
            assertEquals(0, maps.lostEvents(PROBE));
        }
    }

    /**
     * A datagram whose sighting the queue did not keep (here deleted, as a full map would not have
     * stored it): its read writes nothing and is counted missing, and every later read still names
     * the datagram the application got (a read that stepped over the hole would name the next one,
     * and every later read of the socket would be one off).
     */
    @Test
    void aReadWhoseSightingIsMissingWritesNothingAndLaterReadsStayRight() throws Exception {
        int datagrams = 10, missing = 3;
        Path cgroupRoot = Path.of(MountTable.ofCurrentProcess().firstOfType("cgroup2").orElseThrow().mountPoint());
        try (VethPair net = new VethPair("vupm", 94);
             DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(net.outerAddress, PORT));
             ProbeMaps maps = new ProbeMaps(1 << 20)) {
            ProbeDefinition def = ProbeDefinition.recording("app_rx", ProbeSpecParser.parse("sock::recv"));
            List<ProbeProgram> parts = new ProbeProgramBuilder(Btf.kernel(), maps).build(PROBE, def,
                    KeyFilter.of("udp and port " + PORT), new ProbeScope(NetnsCookie.current(), 0, 0), TagRole.NONE);
            maps.configure(PROBE, true, 1);
            List<Program> programs = new ArrayList<>();
            List<Link> links = new ArrayList<>();
            long[] readStart = new long[datagrams];
            long[] readEnd = new long[datagrams];
            List<EventView> records = new ArrayList<>();
            try (RingBufferReader ring = new RingBufferReader(maps.ring())) {
                for (ProbeProgram part : parts) {
                    Program p = Program.load(part.spec());
                    programs.add(p);
                    links.add(attach(part, p, cgroupRoot));
                }
                try (NetNamespace ns = NetNamespace.named(net.namespace)) {
                    ns.execute(() -> {
                        try (DatagramSocket sender = new DatagramSocket()) {
                            for (int i = 0; i < datagrams; i++) {
                                byte[] payload = new byte[16];
                                ByteBuffer.wrap(payload).putLong(i);
                                sender.send(new DatagramPacket(payload, payload.length, new InetSocketAddress(net.outerAddress, PORT)));
                            }
                        }
                    });
                }
                Thread.sleep(50);
                // The queue holds the datagrams at positions 0..9 of one socket: take one out.
                List<byte[]> keys = maps.udpPairing().queued().keys();
                assertEquals(datagrams, keys.size());
                byte[] hole = keys.stream().filter(k -> java.nio.ByteBuffer.wrap(k).order(java.nio.ByteOrder.nativeOrder())
                        .getLong(16) == missing).findFirst().orElseThrow();
                try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
                    java.lang.foreign.MemorySegment k = arena.allocate(hole.length);
                    java.lang.foreign.MemorySegment.copy(java.lang.foreign.MemorySegment.ofArray(hole), 0, k, 0, hole.length);
                    assertTrue(maps.udpPairing().queued().delete(k));
                }
                byte[] buf = new byte[256];
                receiver.setSoTimeout(2000);
                for (int i = 0; i < datagrams; i++) {
                    readStart[i] = System.nanoTime();
                    receiver.receive(new DatagramPacket(buf, buf.length));
                    readEnd[i] = System.nanoTime();
                    assertEquals(i, ByteBuffer.wrap(buf).getLong(0), "the application reads in order");
                }
                ring.drain((buffer, offset, length) -> {
                    EventView v = new EventView().wrap(buffer, offset);
                    if (v.dstPort() == PORT) {
                        records.add(new EventView().wrap(copy(buffer, offset, length), 0));
                    }
                });
            } finally {
                links.forEach(Link::close);
                programs.forEach(Program::close);
            }

            assertEquals(datagrams - 1, records.size(), "nothing written for the missing one");
            for (EventView r : records) {
                int seq = (int) r.l4Data();
                assertTrue(seq != missing, "the datagram whose sighting was missing is not named");
                assertTrue(r.timestamp() >= readStart[seq] && r.timestamp() <= readEnd[seq],
                        "datagram " + seq + " read between " + readStart[seq] + " and " + readEnd[seq] + ", recorded at " + r.timestamp());
            }
            Map<Counter, Long> counts = maps.udpPairing().counts(PROBE);
            assertEquals(datagrams - 1, counts.get(Counter.PAIRED), counts.toString());
            assertEquals(1, counts.get(Counter.MISSING), counts.toString());
            assertEquals(0, counts.get(Counter.UNPAIRED_READS), counts.toString());
            assertEquals(0, maps.udpPairing().unread(PROBE));
            assertEquals(1, maps.lostEvents(PROBE), "the missing read is a shortfall of the probe");
        }
    }

    private static java.lang.foreign.MemorySegment copy(java.lang.foreign.MemorySegment buffer, long offset, int length) {
        java.lang.foreign.MemorySegment c = java.lang.foreign.Arena.ofAuto().allocate(length, 8);
        java.lang.foreign.MemorySegment.copy(buffer, offset, c, 0, length);
        return c;
    }

    private static String ip(int v4) {
        return (v4 >>> 24) + "." + ((v4 >>> 16) & 0xff) + "." + ((v4 >>> 8) & 0xff) + "." + (v4 & 0xff);
    }

    /** Attaches {@code program}, loaded from {@code part}, at the hook the builder made it for. */
    private static Link attach(ProbeProgram part, Program program, Path cgroupRoot) {
        return switch (part.hook()) {
            case CGROUP_INGRESS -> Link.cgroup(program, cgroupRoot, AttachType.CGROUP_INET_INGRESS);
            case CGROUP_EGRESS -> Link.cgroup(program, cgroupRoot, AttachType.CGROUP_INET_EGRESS);
            default -> Link.tracing(program);
        };
    }
}
