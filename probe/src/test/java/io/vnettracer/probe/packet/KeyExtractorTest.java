package io.vnettracer.probe.packet;

import static io.vnettracer.probe.testing.Packets.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.sys.BpfException;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.event.PacketKeyLayout;
import io.vnettracer.probe.testing.ExpectedKey;
import io.vnettracer.probe.testing.KeyDumpProgram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The extractor in the kernel: each crafted packet's key is read back from a map and compared byte for byte. */
class KeyExtractorTest {
    private static final byte[] PAYLOAD = bytes("0123456789abcdef");
    private static KeyDumpProgram tc;
    private static KeyDumpProgram xdp;
    private static KeyDumpProgram cgroup;

    @BeforeAll
    static void load() {
        Root.assume();
        tc = new KeyDumpProgram(PacketContext.TC);
        xdp = new KeyDumpProgram(PacketContext.XDP);
        cgroup = new KeyDumpProgram(PacketContext.CGROUP_SKB);
    }

    @AfterAll
    static void close() {
        for (KeyDumpProgram p : new KeyDumpProgram[] {tc, xdp, cgroup}) {
            if (p != null) {
                p.close();
            }
        }
    }

    private static void assertKey(ExpectedKey expected, byte[] actual) {
        assertArrayEquals(expected.bytes(), actual, () -> "\nexpected " + ExpectedKey.describe(expected.bytes())
                + "\nactual   " + ExpectedKey.describe(actual) + "\nprogram:\n" + tc.program().listing());
    }

    /** The same frame through tc and XDP gives the same key; cgroup_skb (data from L3) too. */
    private static void assertKeyEverywhere(ExpectedKey expected, byte[] frame) {
        assertKey(expected, tc.keyOf(frame));
        assertKey(expected, xdp.keyOf(frame));
        assertKey(expected, cgroup.keyOf(frame));
    }

    @Test
    void ipv4Udp() {
        byte[] ip = ipv4("10.1.2.3", "192.168.200.7", 17, udp(40000, 53, PAYLOAD));
        assertKeyEverywhere(ExpectedKey.ipv4("10.1.2.3", "192.168.200.7", 17, 0x1234, ip.length)
                .ports(40000, 53).l4Data(PAYLOAD), frame(ip));
    }

    @Test
    void ipv4OptionsAreSkippedToFindThePorts() {
        byte[] options = {(byte) 0x94, 4, 0, 0, 1, 1, 1, 0}; // router alert + NOPs + EOL: 8 bytes, IHL 7
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 17, 7, 0, options, udp(1111, 2222, PAYLOAD));
        assertKeyEverywhere(ExpectedKey.ipv4("10.0.0.1", "10.0.0.2", 17, 7, ip.length)
                .ports(1111, 2222).l4Data(PAYLOAD), frame(ip));
    }

    @Test
    void ipv4WithTheLongestOptions() {
        byte[] options = new byte[40]; // IHL 15; all EOL
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 6, 9, 0, options, tcp(80, 5555, 0x01020304, 0x0a0b0c0d, 0x12, PAYLOAD));
        assertKeyEverywhere(ExpectedKey.ipv4("10.0.0.1", "10.0.0.2", 6, 9, ip.length)
                .ports(80, 5555).tcp(0x12, 0x01020304, 0x0a0b0c0d).headersLength(60 + 20), frame(ip));
    }

    @Test
    void ipv4Tcp() {
        byte[] ip = ipv4("172.16.0.1", "172.16.0.254", 6, tcp(443, 51000, 0xdeadbeef, 0x80000001, 0x18, PAYLOAD));
        assertKeyEverywhere(ExpectedKey.ipv4("172.16.0.1", "172.16.0.254", 6, 0x1234, ip.length)
                .ports(443, 51000).tcp(0x18, 0xdeadbeef, 0x80000001).headersLength(20 + 20), frame(ip));
    }

    @Test
    void ipv6Udp() {
        byte[] ip = ipv6("2001:db8::1", "2001:db8:ffff::abcd", 17, udp(5353, 5353, PAYLOAD));
        assertKeyEverywhere(ExpectedKey.ipv6("2001:db8::1", "2001:db8:ffff::abcd", 17, ip.length)
                .ports(5353, 5353).l4Data(PAYLOAD), frame(ip));
    }

    @Test
    void ipv6Tcp() {
        byte[] ip = ipv6("fe80::1", "ff02::fb", 6, tcp(22, 60000, 1, 2, 0x02, new byte[0]));
        assertKeyEverywhere(ExpectedKey.ipv6("fe80::1", "ff02::fb", 6, ip.length).ports(22, 60000).tcp(0x02, 1, 2).headersLength(40 + 20), frame(ip));
    }

    @Test
    void ipv6WithAnExtensionHeaderKeepsItsNumberAndNoPorts() {
        byte[] hopByHop = concat(new byte[] {17, 0, 1, 4, 0, 0, 0, 0}, udp(1, 2, PAYLOAD));
        byte[] ip = ipv6("2001:db8::1", "2001:db8::2", 0, hopByHop);
        assertKeyEverywhere(ExpectedKey.ipv6("2001:db8::1", "2001:db8::2", 0, ip.length), frame(ip));
    }

    @Test
    void icmpAndIcmp6HaveNoPorts() {
        byte[] ping = ipv4("10.0.0.1", "10.0.0.2", 1, icmpEcho(8));
        assertKeyEverywhere(ExpectedKey.ipv4("10.0.0.1", "10.0.0.2", 1, 0x1234, ping.length), frame(ping));
        byte[] ping6 = ipv6("2001:db8::1", "2001:db8::2", 58, icmpEcho(128));
        assertKeyEverywhere(ExpectedKey.ipv6("2001:db8::1", "2001:db8::2", 58, ping6.length), frame(ping6));
    }

    @Test
    void vlanTaggedIpv4() {
        byte[] ip = ipv4("10.9.8.7", "10.6.5.4", 17, udp(7, 9, PAYLOAD));
        ExpectedKey expected = ExpectedKey.ipv4("10.9.8.7", "10.6.5.4", 17, 0x1234, ip.length).ports(7, 9).l4Data(PAYLOAD);
        assertKey(expected, tc.keyOf(ethernetVlan(100, ETH_P_IP, ip)));
        assertKey(expected, xdp.keyOf(ethernetVlan(100, ETH_P_IP, ip)));
    }

    @Test
    void vlanTaggedIpv6() {
        byte[] ip = ipv6("2001:db8::1", "2001:db8::2", 17, udp(7, 9, PAYLOAD));
        assertKey(ExpectedKey.ipv6("2001:db8::1", "2001:db8::2", 17, ip.length).ports(7, 9).l4Data(PAYLOAD),
                tc.keyOf(ethernetVlan(4094, ETH_P_IPV6, ip)));
    }

    @Test
    void arpIsNotIpAndLeavesTheKeyZero() {
        assertKey(ExpectedKey.zero(), tc.keyOf(arpRequest()));
        assertKey(ExpectedKey.zero(), xdp.keyOf(arpRequest()));
    }

    @Test
    void nonFirstFragmentHasNoPorts() {
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 17, 77, 0x00b9, new byte[0], udp(1, 2, PAYLOAD));
        assertKeyEverywhere(ExpectedKey.ipv4("10.0.0.1", "10.0.0.2", 17, 77, ip.length), frame(ip));
    }

    @Test
    void firstFragmentWithMoreFragmentsHasPorts() {
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 17, 77, 0x2000, new byte[0], udp(1, 2, PAYLOAD));
        assertKeyEverywhere(ExpectedKey.ipv4("10.0.0.1", "10.0.0.2", 17, 77, ip.length).ports(1, 2).l4Data(PAYLOAD), frame(ip));
    }

    @Test
    void shortUdpPayloadIsZeroPadded() {
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 17, udp(1, 2, bytes("hi!")));
        assertKeyEverywhere(ExpectedKey.ipv4("10.0.0.1", "10.0.0.2", 17, 0x1234, ip.length).ports(1, 2).l4Data(bytes("hi!")), frame(ip));
    }

    @Test
    void ethernetPaddingAfterAShortDatagramIsNotPayload() {
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 17, udp(1, 2, bytes("ab")));
        byte[] padded = concat(frame(ip), new byte[] {(byte) 0xEE, (byte) 0xEE, (byte) 0xEE, (byte) 0xEE});
        assertKey(ExpectedKey.ipv4("10.0.0.1", "10.0.0.2", 17, 0x1234, ip.length).ports(1, 2).l4Data(bytes("ab")), tc.keyOf(padded));
    }

    @Test
    void udpPayloadCutByTheEndOfDataKeepsTheBytesThatArePresent() {
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 17, udp(1, 2, PAYLOAD));
        byte[] cut = truncate(frame(ip), 14 + 20 + 8 + 5);
        ExpectedKey expected = ExpectedKey.ipv4("10.0.0.1", "10.0.0.2", 17, 0x1234, ip.length).ports(1, 2).l4Data(bytes("01234"));
        assertKey(expected, tc.keyOf(cut));
        assertKey(expected, xdp.keyOf(cut));
    }

    @Test
    void truncatedTransportHeaderLeavesPortsZero() {
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 6, tcp(1, 2, 3, 4, 0x10, PAYLOAD));
        byte[] cut = truncate(frame(ip), 14 + 20 + 19);
        assertKey(ExpectedKey.ipv4("10.0.0.1", "10.0.0.2", 6, 0x1234, ip.length), tc.keyOf(cut));
    }

    /**
     * For tc and cgroup_skb, BPF_PROG_TEST_RUN itself refuses (EINVAL) a frame whose EtherType says
     * IPv4 or IPv6 but that holds less than a whole IP header (34 and 54 bytes here); XDP takes any
     * frame of 14 bytes or more. So a cut IP header reaches tc only behind a VLAN tag.
     */
    @Test
    void truncatedIpHeaderLeavesTheWholeKeyZero() {
        byte[] ip4 = ipv4("10.0.0.1", "10.0.0.2", 17, udp(1, 2, PAYLOAD));
        byte[] ip6 = ipv6("2001:db8::1", "2001:db8::2", 17, udp(1, 2, PAYLOAD));
        for (int length : new int[] {14, 15, 33}) {
            assertKey(ExpectedKey.zero(), xdp.keyOf(truncate(frame(ip4), length)));
        }
        assertKey(ExpectedKey.zero(), xdp.keyOf(truncate(frame(ip6), 14 + 39)));
        assertKey(ExpectedKey.zero(), tc.keyOf(truncate(ethernetVlan(5, ETH_P_IP, ip4), 18 + 19)));
        assertKey(ExpectedKey.zero(), tc.keyOf(truncate(ethernetVlan(5, ETH_P_IPV6, ip6), 18 + 39)));
        assertKey(ExpectedKey.zero(), tc.keyOf(truncate(ethernetVlan(5, ETH_P_IP, ip4), 16)));
    }

    @Test
    void skbTestRunRefusesAnIpFrameShorterThanItsIpHeader() {
        byte[] ip4 = frame(ipv4("10.0.0.1", "10.0.0.2", 17, udp(1, 2, PAYLOAD)));
        BpfException e = assertThrows(BpfException.class, () -> tc.keyOf(truncate(ip4, 33)));
        assertTrue(e.getMessage().contains("EINVAL"), e.getMessage());
        assertKey(ExpectedKey.ipv4("10.0.0.1", "10.0.0.2", 17, 0x1234, ip4.length - 14), tc.keyOf(truncate(ip4, 34)));
    }

    @Test
    void optionsLongerThanTheCapturedDataLeavePortsZero() {
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 17, 1, 0, new byte[40], udp(1, 2, PAYLOAD));
        byte[] cut = truncate(frame(ip), 14 + 60 + 4);
        assertKey(ExpectedKey.ipv4("10.0.0.1", "10.0.0.2", 17, 1, ip.length), tc.keyOf(cut));
    }

    @Test
    void cgroupSkbTestRunStripsTheEthernetHeaderFromTheInput() {
        // bpf_prog_test_run_skb runs eth_type_trans on the input; for cgroup_skb it does not push the
        // Ethernet header back, so the program's data starts at the IP header as in real traffic.
        byte[] ip = ipv4("10.0.0.1", "10.0.0.2", 17, udp(1, 2, PAYLOAD));
        assertKey(ExpectedKey.ipv4("10.0.0.1", "10.0.0.2", 17, 0x1234, ip.length).ports(1, 2).l4Data(PAYLOAD),
                cgroup.keyOf(frame(ip)));
    }

    @Test
    void keyOffsetMustBeAlignedAndOnTheStack() {
        assertThrows(IllegalArgumentException.class, () -> new KeyExtractor(PacketContext.TC, -60, "k"));
        assertThrows(IllegalArgumentException.class, () -> new KeyExtractor(PacketContext.TC, -48, "k"));
        assertThrows(IllegalArgumentException.class, () -> new KeyExtractor(PacketContext.TC, -520, "k"));
        assertThrows(IllegalArgumentException.class, () -> new KeyExtractor(PacketContext.TC, -64, "has space"));
        assertEquals(-512, new KeyExtractor(PacketContext.TC, -512, "k").keyOffset());
    }

    @Test
    void layoutSizeIsSevenWords() {
        assertEquals(56, PacketKeyLayout.SIZE);
    }
}
