package io.vnettracer.probe.filter;

import static io.vnettracer.probe.testing.Packets.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.probe.packet.PacketContext;
import io.vnettracer.probe.testing.FilterProgram;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The compiler end to end: each expression is compiled into a tc program that returns 1 on a
 * match, loaded into the kernel, and run on a crafted packet. The verdicts are libpcap's on the
 * same bytes (PcapConformanceTest checks a larger corpus against tcpdump itself); the key-only
 * compiler of probes without a packet keeps its own rows.
 */
class FilterKernelTest {
    private static final byte[] PAYLOAD = bytes("0123456789abcdef");
    /** 10.0.0.1:40000 -> 192.168.1.2:53; IP length 44, frame 58. */
    private static final byte[] UDP4 = frame(ipv4("10.0.0.1", "192.168.1.2", 17, udp(40000, 53, PAYLOAD)));
    /** 10.0.0.1:51000 -> 192.168.1.2:443; IP length 40, frame 54. */
    private static final byte[] TCP4 = frame(ipv4("10.0.0.1", "192.168.1.2", 6, tcp(51000, 443, 1, 0, 0x02, new byte[0])));
    /** 10.0.0.1 -> 8.8.8.8 echo request; IP length 32, frame 46. */
    private static final byte[] ICMP4 = frame(ipv4("10.0.0.1", "8.8.8.8", 1, icmpEcho(8)));
    /** [2001:db8::1]:5353 -> [2001:db8:ffff::2]:53; IP length 64, frame 78. */
    private static final byte[] UDP6 = frame(ipv6("2001:db8::1", "2001:db8:ffff::2", 17, udp(5353, 53, PAYLOAD)));
    /** [fe80::1]:22 -> [2001:db8::99]:60000; IP length 60, frame 74. */
    private static final byte[] TCP6 = frame(ipv6("fe80::1", "2001:db8::99", 6, tcp(22, 60000, 7, 8, 0x10, new byte[0])));
    /** 2001:db8::1 -> ff02::1 echo request; IP length 52, frame 66. */
    private static final byte[] ICMP6 = frame(ipv6("2001:db8::1", "ff02::1", 58, icmpEcho(128)));
    private static final byte[] ARP = arpRequest();
    /** 10.9.8.7:7 -> 10.6.5.4:9 behind VLAN tag 100; IP length 44, frame 62. */
    private static final byte[] VLAN4 = ethernetVlan(100, ETH_P_IP, ipv4("10.9.8.7", "10.6.5.4", 17, udp(7, 9, PAYLOAD)));
    /** UDP4 with 1000 payload bytes; IP length 1028, frame 1042. */
    private static final byte[] BIG4 = frame(ipv4("10.0.0.1", "192.168.1.2", 17, udp(40000, 53, new byte[1000])));
    /** UDP4 cut 4 bytes into its UDP header: addresses, no ports. */
    private static final byte[] CUT4 = truncate(UDP4, 14 + 20 + 4);
    /** A non-first fragment of a UDP datagram: addresses, no ports. */
    private static final byte[] FRAG4 = frame(ipv4("10.0.0.1", "192.168.1.2", 17, 5, 0x0010, new byte[0], udp(40000, 53, PAYLOAD)));

    private static final Map<String, Program> PROGRAMS = new HashMap<>();

    @BeforeAll
    static void root() {
        Root.assume();
    }

    @AfterAll
    static void close() {
        PROGRAMS.values().forEach(Program::close);
        PROGRAMS.clear();
    }

    private static Arguments row(String expression, String packetName, boolean matches) {
        return Arguments.of(expression, packetName, matches);
    }

    private static final Map<String, byte[]> PACKETS = Map.ofEntries(
            Map.entry("UDP4", UDP4), Map.entry("TCP4", TCP4), Map.entry("ICMP4", ICMP4),
            Map.entry("UDP6", UDP6), Map.entry("TCP6", TCP6), Map.entry("ICMP6", ICMP6),
            Map.entry("ARP", ARP), Map.entry("VLAN4", VLAN4), Map.entry("BIG4", BIG4),
            Map.entry("CUT4", CUT4), Map.entry("FRAG4", FRAG4));

    static Stream<Arguments> table() {
        return Stream.of(
                // the empty expression
                row("", "UDP4", true), row("", "ARP", true),
                // host, IPv4
                row("host 10.0.0.1", "UDP4", true), row("host 192.168.1.2", "UDP4", true),
                row("host 10.0.0.3", "UDP4", false), row("host 10.0.0.1", "UDP6", false),
                row("src host 10.0.0.1", "UDP4", true), row("src host 192.168.1.2", "UDP4", false),
                row("dst host 192.168.1.2", "UDP4", true), row("dst host 10.0.0.1", "UDP4", false),
                row("src 192.168.1.2", "UDP4", false),
                // libpcap: behind a VLAN tag only after 'vlan'; an ARP packet's addresses are hosts too
                row("host 10.9.8.7", "VLAN4", false), row("vlan and host 10.9.8.7", "VLAN4", true),
                row("host 10.0.0.1", "CUT4", true), row("host 10.0.0.1", "ARP", true), row("ip host 10.0.0.1", "ARP", false),
                // host, IPv6: each half of the address must match
                row("host 2001:db8::1", "UDP6", true), row("host 2001:db8:ffff::2", "UDP6", true),
                row("src host 2001:db8::1", "UDP6", true), row("dst host 2001:db8::1", "UDP6", false),
                row("host 2001:db8::2", "UDP6", false), row("host 2001:db9::1", "UDP6", false),
                row("host 2001:db8::1", "UDP4", false), row("host ::ffff:10.0.0.1", "UDP4", false),
                // net, IPv4
                row("net 10.0.0.0/8", "UDP4", true), row("net 192.168.0.0/16", "UDP4", true),
                row("src net 192.168.0.0/16", "UDP4", false), row("dst net 192.168.1.0/24", "UDP4", true),
                row("net 172.16.0.0/12", "UDP4", false), row("net 10.0.0.0 mask 255.0.0.0", "UDP4", true),
                row("net 192.168.1.0/25", "UDP4", true), row("net 192.168.1.128/25", "UDP4", false),
                row("net 0.0.0.0/0", "UDP4", true), row("net 0.0.0.0/0", "UDP6", false),
                row("net 10.0.0.1", "UDP4", true), row("net 128.0.0.0/1", "UDP4", true), row("net 128.0.0.0/1", "ICMP4", false),
                // net, IPv6: masks ending in the high half, at the boundary, and in the low half
                row("net 2001:db8::/32", "UDP6", true), row("net 2001:db8:ffff::/48", "UDP6", true),
                row("src net 2001:db8:ffff::/48", "UDP6", false), row("net 2001:db8::/64", "UDP6", true),
                row("net 2001:db8::/96", "UDP6", true), row("net 2001:db8::/127", "UDP6", true),
                row("net 2001:db8::2/127", "UDP6", false), row("net ::/0", "UDP6", true), row("net ::/0", "UDP4", false),
                row("net fe80::/10", "TCP6", true), row("dst net fe80::/10", "TCP6", false),
                // port and portrange
                row("port 53", "UDP4", true), row("port 40000", "UDP4", true), row("port 80", "UDP4", false),
                row("src port 40000", "UDP4", true), row("src port 53", "UDP4", false), row("dst port 53", "UDP4", true),
                row("port 443", "TCP4", true), row("port 22", "TCP6", true), row("dst port 60000", "TCP6", true),
                row("port 53", "UDP6", true), row("port 0", "ICMP4", false), row("port 0", "ARP", false),
                row("port 53", "CUT4", true), row("port 53", "FRAG4", false), row("port 9", "VLAN4", false),
                row("vlan and port 9", "VLAN4", true),
                // qualifiers carry over to a value alone, as in tcpdump
                row("port 80 or 53", "UDP4", true), row("host 10.0.0.9 or 192.168.1.2", "UDP4", true),
                row("host 10.0.0.1 and not 192.168.1.2", "UDP4", false),
                row("portrange 50-60", "UDP4", true), row("portrange 1-52", "UDP4", false),
                row("portrange 53-53", "UDP4", true), row("src portrange 39000-41000", "UDP4", true),
                row("dst portrange 39000-41000", "UDP4", false), row("portrange 59000-61000", "TCP6", true),
                row("portrange 65000-65535", "TCP6", false), row("portrange 0-65535", "ICMP6", false),
                // protocols and families
                row("tcp", "TCP4", true), row("tcp", "UDP4", false), row("udp", "UDP4", true), row("udp", "UDP6", true),
                row("tcp", "TCP6", true), row("icmp", "ICMP4", true), row("icmp", "ICMP6", false),
                row("icmp6", "ICMP6", true), row("icmp6", "ICMP4", false), row("ip", "UDP4", true), row("ip", "UDP6", false),
                row("ip6", "UDP6", true), row("ip", "ARP", false), row("ip6", "ARP", false), row("udp", "FRAG4", true),
                // len is the frame's length on tc, as pcap's
                row("len = 58", "UDP4", true), row("len != 58", "UDP4", false), row("len < 58", "UDP4", false),
                row("len <= 58", "UDP4", true), row("len > 57", "UDP4", true), row("len >= 59", "UDP4", false),
                row("len == 78", "UDP6", true), row("len > 1000", "BIG4", true), row("len > 1042", "BIG4", false),
                row("len = 62", "VLAN4", true), row("len = 38", "CUT4", true),
                row("len < 100", "ARP", true), row("not len < 100", "ARP", false), row("len > 4294967295", "UDP4", false),
                row("less 58", "UDP4", true), row("greater 59", "UDP4", false),
                // boolean operators, short-circuit and precedence
                row("tcp and port 443", "TCP4", true), row("tcp and port 53", "UDP4", false),
                row("udp or tcp", "ICMP4", false), row("udp or icmp", "ICMP4", true),
                row("not tcp", "UDP4", true), row("! udp", "UDP4", false), row("not not udp", "UDP4", true),
                row("host 10.0.0.1 && (port 80 || port 53)", "UDP4", true),
                row("host 10.0.0.1 && !(port 80 || port 53)", "UDP4", false),
                row("tcp or udp and port 80", "TCP4", false), // pcap: (tcp or udp) and port 80
                row("tcp or (udp and port 80)", "TCP4", true),
                row("not tcp and udp", "UDP4", true), row("not (tcp and udp)", "UDP4", true),
                row("tcp port 443", "TCP4", true), row("udp port 443", "TCP4", false),
                row("ip6 net 2001:db8::/32", "UDP6", true), row("ip host 10.0.0.1", "UDP4", true),
                row("icmp and port 80", "ICMP4", false),
                row("(src net 10.0.0.0/8 and dst port 53) or (ip6 and udp)", "UDP6", true),
                row("(src net 10.0.0.0/8 and dst port 53) or (ip6 and udp)", "TCP4", false),
                row("udp and not (host 10.0.0.9 or host 10.0.0.8) and len > 40", "UDP4", true),
                // byte offsets; a load past the end rejects the packet even under 'not', as in classic BPF
                row("tcp[tcpflags] & tcp-syn != 0", "TCP4", true), row("tcp[tcpflags] & tcp-ack != 0", "TCP4", false),
                row("udp[8:4] = 0x30313233", "UDP4", true), row("ip[9] = 17", "FRAG4", true),
                row("udp[0:2] = 40000", "FRAG4", false), row("not udp[4:2] = 0", "CUT4", false),
                row("ether[12:2] = 0x8100 and vlan 100", "VLAN4", true), row("icmp6[icmp6type] = icmp6-echo", "ICMP6", true));
    }

    @ParameterizedTest(name = "{0} on {1} -> {2}")
    @MethodSource("table")
    void expressionOnPacket(String expression, String packetName, boolean matches) {
        Program program = PROGRAMS.computeIfAbsent(expression,
                e -> FilterProgram.load(PacketContext.TC, Filter.parse(e)));
        int returned = program.testRun(PACKETS.get(packetName), 1).returnValue();
        assertEquals(matches ? 1 : 0, returned, () -> "'" + expression + "' on " + packetName
                + " should " + (matches ? "" : "not ") + "match; compiled program:\n" + program.listing());
    }

    @Test
    void tableCoversEnoughRows() {
        assertTrue(table().count() >= 40);
    }

    @Test
    void lenOnCgroupSkbIsTheIpLength() {
        try (Program equal44 = FilterProgram.load(PacketContext.CGROUP_SKB, Filter.parse("len = 44"));
             Program equal58 = FilterProgram.load(PacketContext.CGROUP_SKB, Filter.parse("len = 58"))) {
            assertEquals(1, equal44.testRun(UDP4, 1).returnValue(), equal44::listing);
            assertEquals(0, equal58.testRun(UDP4, 1).returnValue(), equal58::listing);
        }
    }

    @Test
    void keyOnlyFilterAnswersFromTheKey() {
        try (Program p = FilterProgram.loadKeyOnly(PacketContext.TC, Filter.parse("udp and port 53 or 2000 and len > 40"))) {
            assertEquals(1, p.testRun(UDP4, 1).returnValue(), p::listing);
            assertEquals(0, p.testRun(VLAN4, 1).returnValue(), p::listing);
        }
        try (Program p = FilterProgram.loadKeyOnly(PacketContext.TC, Filter.parse("ip6 proto 17 or src and dst host 10.0.0.1"))) {
            assertEquals(1, p.testRun(UDP6, 1).returnValue(), p::listing);
            assertEquals(0, p.testRun(UDP4, 1).returnValue(), p::listing);
        }
        try (Program p = FilterProgram.loadKeyOnly(PacketContext.TC, Filter.parse("ether proto \\ip6"))) {
            assertEquals(1, p.testRun(UDP6, 1).returnValue(), p::listing);
            assertEquals(0, p.testRun(UDP4, 1).returnValue(), p::listing);
        }
    }

    @Test
    void xdpFilterSeesTheSameKey() {
        try (Program p = FilterProgram.load(PacketContext.XDP,
                Filter.parse("src host 2001:db8::1 and dst port 53 and len = 78"))) {
            assertEquals(1, p.testRun(UDP6, 1).returnValue(), p::listing);
            assertEquals(0, p.testRun(UDP4, 1).returnValue(), p::listing);
        }
    }

    @Test
    void aLongExpressionStillLoads() {
        String many = String.join(" or ", java.util.stream.IntStream.range(0, 150).mapToObj(i -> "port " + (1000 + i)).toList());
        try (Program p = FilterProgram.load(PacketContext.TC, Filter.parse("udp and (" + many + ")"))) {
            assertEquals(0, p.testRun(UDP4, 1).returnValue());
            byte[] hit = frame(ipv4("10.0.0.1", "10.0.0.2", 17, udp(5, 1149, PAYLOAD)));
            assertEquals(1, p.testRun(hit, 1).returnValue(), p::listing);
        }
    }
}
