package io.vnettracer.probe.filter;

import static io.vnettracer.probe.testing.Packets.*;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Reg;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.prog.ProgramSpec;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.probe.packet.PacketContext;
import io.vnettracer.probe.testing.PcapFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * libpcap as ground truth: every expression of {@code filter/pcap-conformance.txt} is compiled to
 * a tc program (and to a cgroup_skb one, whose packets start at IP), loaded into the kernel and
 * run with BPF_PROG_TEST_RUN on each packet of a pcap written here; the set of packets it matches must be the set {@code tcpdump -r FILE -nn EXPR}
 * prints. An expression tcpdump refuses must be refused here, and one it accepts accepted.
 */
class PcapConformanceTest {
    private static final String CORPUS = "/filter/pcap-conformance.txt";
    /** Packet i is written with timestamp i seconds, so the seconds tcpdump prints ({@code -tt}) are its index. */
    private static final Pattern TIMESTAMPED_LINE = Pattern.compile("^(\\d+)\\.\\d{6} ");
    /** libpcap's optimizer refuses a filter it proves always false; that is an empty match, not a refusal. */
    private static final String REJECTS_ALL = "expression rejects all packets";

    private record Sample(String description, byte[] frame) {}

    private static final byte[] BROADCAST = {-1, -1, -1, -1, -1, -1};
    private static final byte[] HOST_A = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
    private static final byte[] HOST_B = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};

    private static byte[] ether(byte[] dst, byte[] src, int type, byte[] payload) {
        return ByteBuffer.allocate(14 + payload.length).put(dst).put(src).putShort((short) type).put(payload).array();
    }

    private static byte[] tagged(int tpid, int tci, int innerType, byte[] payload) {
        return ByteBuffer.allocate(4 + payload.length).putShort((short) tci).putShort((short) innerType).put(payload).array();
    }

    private static byte[] vlanFrame(int[] tpids, int[] ids, int innerType, byte[] payload) {
        byte[] inner = payload;
        int type = innerType;
        for (int i = tpids.length - 1; i >= 0; i--) {
            inner = tagged(tpids[i], ids[i], type, inner);
            type = tpids[i];
        }
        return ether(HOST_B, HOST_A, type, inner);
    }

    private static byte[] arp(int op, String sender, String target) {
        ByteBuffer b = ByteBuffer.allocate(28);
        b.putShort((short) 1).putShort((short) ETH_P_IP).put((byte) 6).put((byte) 4).putShort((short) op)
                .put(HOST_A).put(address(sender)).put(op == 1 ? new byte[6] : HOST_B).put(address(target));
        return ether(op == 1 ? BROADCAST : HOST_B, HOST_A, ETH_P_ARP, b.array());
    }

    private static byte[] ipv6WithExtension(String src, String dst, int extension, int nextHeader, byte[] l4) {
        byte[] header = new byte[8];
        header[0] = (byte) nextHeader;
        if (extension == 44) {
            header[3] = 1; // offset 0, more fragments
        }
        return ipv6(src, dst, extension, concat(header, l4));
    }

    private static byte[] icmp(int type, int code) {
        return new byte[] {(byte) type, (byte) code, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4};
    }

    private static byte[] sctp(int sport, int dport) {
        return ByteBuffer.allocate(16).putShort((short) sport).putShort((short) dport).putInt(7).putInt(0).putInt(0).array();
    }

    private static byte[] tcpWithHeaderWords(int sport, int dport, int flags, int words) {
        byte[] t = tcp(sport, dport, 1000, 2000, flags, new byte[4 * (words - 5)]);
        t[12] = (byte) (words << 4);
        return t;
    }

    private static byte[] padded(byte[] frame, int size) {
        return java.util.Arrays.copyOf(frame, Math.max(size, frame.length));
    }

    /** The packets, varied where filters look: flags, fragments, options, families, tags, ICMP, ARP, lengths. */
    static final List<Sample> SAMPLES = List.of(
            new Sample("TCP4 SYN 10.0.0.1:40000 > 192.168.1.2:80", frame(ipv4("10.0.0.1", "192.168.1.2", 6, tcp(40000, 80, 1, 0, 0x02, new byte[0])))),
            new Sample("TCP4 SYN-ACK 192.168.1.2:80 > 10.0.0.1:40000", frame(ipv4("192.168.1.2", "10.0.0.1", 6, tcp(80, 40000, 1, 2, 0x12, new byte[0])))),
            new Sample("TCP4 ACK 10.0.0.1:40000 > 192.168.1.2:80", frame(ipv4("10.0.0.1", "192.168.1.2", 6, tcp(40000, 80, 2, 2, 0x10, new byte[0])))),
            new Sample("TCP4 PSH-ACK 100 bytes", frame(ipv4("10.0.0.1", "192.168.1.2", 6, tcp(40000, 80, 2, 2, 0x18, new byte[100])))),
            new Sample("TCP4 FIN-ACK", frame(ipv4("192.168.1.2", "10.0.0.1", 6, tcp(80, 40000, 9, 9, 0x11, new byte[0])))),
            new Sample("TCP4 RST", frame(ipv4("10.0.0.1", "192.168.1.2", 6, tcp(40001, 80, 0, 0, 0x04, new byte[0])))),
            new Sample("TCP4 URG-ECE-CWR-ACK :443, TCP header 32 bytes", frame(ipv4("10.0.0.7", "172.16.0.9", 6, tcpWithHeaderWords(51000, 443, 0xF0, 8)))),
            new Sample("UDP4 DNS 10.0.0.1:5353 > 8.8.8.8:53, 16 bytes", frame(ipv4("10.0.0.1", "8.8.8.8", 17, udp(5353, 53, bytes("0123456789abcdef"))))),
            new Sample("UDP4 empty 10.1.2.3:1000 > 10.1.2.4:2000", frame(ipv4("10.1.2.3", "10.1.2.4", 17, udp(1000, 2000, new byte[0])))),
            new Sample("UDP4 1 byte 10.1.2.3:1001 > 10.1.2.4:2001", frame(ipv4("10.1.2.3", "10.1.2.4", 17, udp(1001, 2001, new byte[1])))),
            new Sample("UDP4 1000 bytes 10.0.0.1:40000 > 192.168.1.2:53", frame(ipv4("10.0.0.1", "192.168.1.2", 17, udp(40000, 53, new byte[1000])))),
            new Sample("UDP4 first fragment (MF) :7000 > :7001", frame(ipv4("10.0.0.2", "10.0.0.3", 17, 77, 0x2000, new byte[0], udp(7000, 7001, new byte[32])))),
            new Sample("UDP4 later fragment, offset 1480", frame(ipv4("10.0.0.2", "10.0.0.3", 17, 77, 185, new byte[0], bytes("later fragment payload, no header")))),
            new Sample("TCP4 IP options (IHL 6) 10.0.0.9:22 > 10.0.0.1:50000", frame(ipv4("10.0.0.9", "10.0.0.1", 6, 5, 0, new byte[] {1, 1, 1, 0}, tcp(22, 50000, 5, 6, 0x18, bytes("ssh!"))))),
            new Sample("UDP4 IP options (IHL 7) :123 > :123", frame(ipv4("10.0.0.9", "10.0.0.10", 17, 6, 0x4000, new byte[] {1, 1, 1, 1, 1, 1, 1, 0}, udp(123, 123, new byte[48])))),
            new Sample("ICMP4 echo request 10.0.0.1 > 8.8.8.8", frame(ipv4("10.0.0.1", "8.8.8.8", 1, icmp(8, 0)))),
            new Sample("ICMP4 echo reply 8.8.8.8 > 10.0.0.1", frame(ipv4("8.8.8.8", "10.0.0.1", 1, icmp(0, 0)))),
            new Sample("ICMP4 port unreachable 192.168.1.2 > 10.0.0.1", frame(ipv4("192.168.1.2", "10.0.0.1", 1, icmp(3, 3)))),
            new Sample("IGMP 10.0.0.5 > 224.0.0.22", ether(new byte[] {1, 0, 0x5e, 0, 0, 0x16}, HOST_A, ETH_P_IP, ipv4("10.0.0.5", "224.0.0.22", 2, new byte[8]))),
            new Sample("SCTP4 10.0.0.1:9899 > 10.0.0.2:2905", frame(ipv4("10.0.0.1", "10.0.0.2", 132, sctp(9899, 2905)))),
            new Sample("TCP6 SYN [2001:db8::1]:51000 > [2001:db8::2]:443", frame(ipv6("2001:db8::1", "2001:db8::2", 6, tcp(51000, 443, 1, 0, 0x02, new byte[0])))),
            new Sample("UDP6 [2001:db8::1]:53 > [fe80::1]:33000", frame(ipv6("2001:db8::1", "fe80::1", 17, udp(53, 33000, new byte[20])))),
            new Sample("ICMP6 echo request 2001:db8::1 > 2001:db8::2", frame(ipv6("2001:db8::1", "2001:db8::2", 58, icmp(128, 0)))),
            new Sample("ICMP6 neighbor solicitation fe80::1 > ff02::1:ff00:2", ether(new byte[] {0x33, 0x33, -1, 0, 0, 2}, HOST_A, ETH_P_IPV6, ipv6("fe80::1", "ff02::1:ff00:2", 58, icmp(135, 0)))),
            new Sample("IPv6 fragment header + TCP :80 > :1234", frame(ipv6WithExtension("2001:db8::5", "2001:db8::6", 44, 6, tcp(80, 1234, 1, 1, 0x10, new byte[0])))),
            new Sample("IPv6 hop-by-hop + UDP :546 > :547", frame(ipv6WithExtension("fe80::2", "ff02::1:2", 0, 17, udp(546, 547, new byte[4])))),
            new Sample("VLAN 100 UDP4 10.9.8.7:7 > 10.6.5.4:9", vlanFrame(new int[] {0x8100}, new int[] {100}, ETH_P_IP, ipv4("10.9.8.7", "10.6.5.4", 17, udp(7, 9, new byte[16])))),
            new Sample("VLAN 200 prio 5 TCP6 [2001:db8::9]:22 > [2001:db8::a]:60000", vlanFrame(new int[] {0x8100}, new int[] {0xA000 | 200}, ETH_P_IPV6, ipv6("2001:db8::9", "2001:db8::a", 6, tcp(22, 60000, 3, 4, 0x18, new byte[8])))),
            new Sample("QinQ 88a8 vid 10 / 8100 vid 20, UDP4 :53 > :53", vlanFrame(new int[] {0x88A8, 0x8100}, new int[] {10, 20}, ETH_P_IP, ipv4("10.0.0.1", "10.0.0.2", 17, udp(53, 53, new byte[8])))),
            new Sample("ARP who-has 10.0.0.2 tell 10.0.0.1", arp(1, "10.0.0.1", "10.0.0.2")),
            new Sample("ARP reply 10.0.0.2 is-at", arp(2, "10.0.0.2", "10.0.0.1")),
            new Sample("UDP4 Ethernet broadcast 10.0.0.1:68 > 10.0.0.255:67", ether(BROADCAST, HOST_A, ETH_P_IP, ipv4("10.0.0.1", "10.0.0.255", 17, udp(68, 67, new byte[20])))),
            new Sample("UDP4 2 bytes, frame padded to 60", padded(frame(ipv4("10.0.0.1", "10.0.0.2", 17, udp(4000, 4001, new byte[2]))), 60)),
            new Sample("TCP4 cut 10 bytes into the TCP header", truncate(frame(ipv4("10.0.0.1", "192.168.1.2", 6, tcp(40000, 80, 1, 0, 0x02, new byte[0]))), 14 + 20 + 10)),
            // (BPF_PROG_TEST_RUN refuses a frame cut inside its IP header, so none is cut shorter than this.)
            new Sample("UDP4 cut 4 bytes into the UDP header", truncate(frame(ipv4("10.0.0.1", "192.168.1.2", 17, udp(1, 2, new byte[0]))), 14 + 24)),
            new Sample("LLDP (EtherType 0x88cc)", ether(new byte[] {1, (byte) 0x80, (byte) 0xc2, 0, 0, 0x0e}, HOST_A, 0x88CC, new byte[40])),
            new Sample("UDP4 172.16.5.4:12345 > 10.200.1.1:12346", frame(ipv4("172.16.5.4", "10.200.1.1", 17, udp(12345, 12346, new byte[64])))),
            new Sample("TCP4 10.200.1.1:12346 > 172.16.5.4:12345 SYN-ACK", frame(ipv4("10.200.1.1", "172.16.5.4", 6, tcp(12346, 12345, 5, 6, 0x12, new byte[0])))),
            new Sample("SCTP6 [2001:db8::1]:36412 > [2001:db8::2]:36412", frame(ipv6("2001:db8::1", "2001:db8::2", 132, sctp(36412, 36412)))));

    /**
     * A capture as a probe's program sees it: Ethernet frames (tc), or IP packets (a program whose
     * packets start at the IP header; its pcap holds each IP packet without its Ethernet header,
     * and BPF_PROG_TEST_RUN strips the header from the frame it is given).
     */
    private record Capture(PacketContext context, int linkType, List<Integer> indices, Path file) {
        /** A refusal at the hook is this capture's refusal; libpcap has its own for link-layer fields on raw IP. */
        Verdict ours(String expression) {
            Filter filter;
            Assembler a = new Assembler();
            a.mov64(Reg.R6, Reg.R1);
            try {
                filter = Filter.parse(expression);
                filter.emit(a, new FilterCompiler(context, "filter"), "match", "nomatch");
            } catch (FilterException e) {
                return new Verdict(null, e.getMessage());
            }
            a.label("match").mov64(Reg.R0, 1).exit()
                    .label("nomatch").mov64(Reg.R0, 0).exit();
            TreeSet<Integer> matched = new TreeSet<>();
            try (Program program = Program.load(ProgramSpec.of("vflt_pcap", context.programType(), a.assemble()))) {
                for (int i = 0; i < indices.size(); i++) {
                    if (program.testRun(SAMPLES.get(indices.get(i)).frame(), 1).returnValue() == 1) {
                        matched.add(i);
                    }
                }
            }
            return new Verdict(matched, null);
        }
    }

    private static Capture ethernet;
    private static Capture rawIp;

    @BeforeAll
    static void writePcaps(@TempDir Path dir) throws IOException {
        Root.assume();
        List<Integer> all = java.util.stream.IntStream.range(0, SAMPLES.size()).boxed().toList();
        ethernet = new Capture(PacketContext.TC, PcapFile.LINKTYPE_ETHERNET, all, dir.resolve("ethernet.pcap"));
        PcapFile.write(ethernet.file(), ethernet.linkType(), SAMPLES.stream().map(Sample::frame).toList());
        List<Integer> ip = all.stream().filter(i -> {
            byte[] f = SAMPLES.get(i).frame();
            int type = (f[12] & 0xFF) << 8 | f[13] & 0xFF;
            return type == ETH_P_IP || type == ETH_P_IPV6;
        }).toList();
        rawIp = new Capture(PacketContext.CGROUP_SKB, PcapFile.LINKTYPE_RAW, ip, dir.resolve("raw.pcap"));
        PcapFile.write(rawIp.file(), rawIp.linkType(), ip.stream()
                .map(i -> java.util.Arrays.copyOfRange(SAMPLES.get(i).frame(), 14, SAMPLES.get(i).frame().length)).toList());
    }

    /** What tcpdump made of an expression: the packets it printed (indices into the capture), or its refusal. */
    private record Verdict(TreeSet<Integer> matched, String refusal) {}

    private static Verdict tcpdump(Path file, String expression) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder("tcpdump", "-r", file.toString(), "-nn", "-q", "-tt", "--", expression)
                    .redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new IOException("cannot run tcpdump, the ground truth of this test (" + e.getMessage()
                    + "): scripts/setup installs it", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("tcpdump did not finish for '" + expression + "'");
        }
        TreeSet<Integer> matched = new TreeSet<>();
        if (p.exitValue() != 0) {
            if (err.contains(REJECTS_ALL)) {
                return new Verdict(matched, null);
            }
            return new Verdict(null, err.lines().filter(l -> l.startsWith("tcpdump:")).findFirst().orElse(err.strip()));
        }
        for (String line : out.split("\n")) {
            Matcher m = TIMESTAMPED_LINE.matcher(line);
            if (m.find()) {
                matched.add(Integer.parseInt(m.group(1)));
            }
        }
        return new Verdict(matched, null);
    }

    static List<String> corpus() throws IOException {
        try (InputStream in = Objects.requireNonNull(PcapConformanceTest.class.getResourceAsStream(CORPUS), CORPUS)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        }
    }

    @Test
    void everyExpressionMatchesWhatTcpdumpMatches() throws Exception {
        conforms(ethernet, false);
    }

    /**
     * The same corpus where packets start at the IP header, against tcpdump on a raw-IP capture of
     * the IP packets. Link-layer primitives are refused at this hook, whatever libpcap does with
     * them there: it refuses most, compiles {@code arp} to a filter that "rejects all packets", and
     * reads {@code ether[n]} as the IP header's byte n (docs/FILTERS.md, "Refused at a hook").
     */
    @Test
    void whereThePacketStartsAtIpEveryExpressionMatchesWhatTcpdumpMatchesOnRawIp() throws Exception {
        conforms(rawIp, true);
    }

    private static void conforms(Capture capture, boolean hookRefusesLinkLayer) throws Exception {
        // hookRefusesLinkLayer: refusing a link-layer primitive is this hook's answer, whatever tcpdump says.
        List<String> expressions = corpus();
        assertTrue(expressions.size() >= 200, "the corpus has " + expressions.size() + " expressions, fewer than 200");
        List<String> mismatches = new ArrayList<>();
        for (String expression : expressions) {
            Verdict theirs = tcpdump(capture.file(), expression);
            Verdict mine;
            try {
                mine = capture.ours(expression);
            } catch (RuntimeException e) {
                mismatches.add("'" + expression + "': ours failed to compile or load: " + e);
                continue;
            }
            boolean refusedAtTheHook = hookRefusesLinkLayer && mine.refusal() != null
                    && mine.refusal().contains("reads the Ethernet header");
            if (theirs.refusal() != null || mine.refusal() != null) {
                if ((theirs.refusal() == null) != (mine.refusal() == null) && !refusedAtTheHook) {
                    mismatches.add("'" + expression + "': tcpdump " + (theirs.refusal() == null ? "accepts it" : "refuses it ("
                            + theirs.refusal() + ")") + ", we " + (mine.refusal() == null ? "accept it" : "refuse it ("
                            + mine.refusal() + ")"));
                }
                continue;
            }
            for (int i = 0; i < capture.indices().size(); i++) {
                boolean tcpdumpMatches = theirs.matched().contains(i);
                boolean weMatch = mine.matched().contains(i);
                if (tcpdumpMatches != weMatch) {
                    int sample = capture.indices().get(i);
                    mismatches.add("'" + expression + "' on packet " + sample + " (" + SAMPLES.get(sample).description()
                            + "): tcpdump " + (tcpdumpMatches ? "matches" : "does not match") + ", we " + (weMatch ? "match" : "do not"));
                }
            }
        }
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " disagreements with libpcap (" + capture.context() + ") over " + expressions.size()
                    + " expressions:\n" + String.join("\n", mismatches));
        }
    }
}
