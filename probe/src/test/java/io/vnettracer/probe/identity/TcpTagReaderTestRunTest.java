package io.vnettracer.probe.identity;

import static io.vnettracer.bpf.asm.Reg.*;
import static io.vnettracer.probe.identity.TagTestPrograms.SCRATCH;
import static io.vnettracer.probe.identity.TcpFrames.*;
import static org.junit.jupiter.api.Assertions.*;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.map.BpfMap;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.probe.testing.Packets;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The TCP option reader loaded into the kernel and run on crafted segments (BPF_PROG_TEST_RUN). */
class TcpTagReaderTestRunTest {
    private static final int EXID = TcpTagOption.DEFAULT_EXID;
    private static final int ID = 0x12345678;
    private static final byte[] PAYLOAD = "some payload after the header".getBytes();

    private final Random random = new Random(7);
    private Program reader;

    @BeforeEach
    void load() {
        Root.assume();
        reader = TagTestPrograms.returningTag("vtct_read", a -> TcpTagReader.emit(a, R6, R7, SCRATCH));
    }

    @AfterEach
    void close() {
        if (reader != null) {
            reader.close();
        }
    }

    private int read(byte[] frame) {
        return reader.testRun(frame, 1).returnValue();
    }

    @Test
    void findsTheOptionAtEveryPositionOfTheArea() {
        for (int at = 0; at <= 40 - TcpTagOption.LENGTH; at++) {
            byte[] options = concat(nops(at), tag(EXID, ID + at));
            assertEquals(ID + at, read(ipv4(tcp(options, PAYLOAD))), "option at byte " + at);
            assertEquals(ID + at, read(ipv4(tcp(options, new byte[0]))), "option at byte " + at + ", no payload");
        }
    }

    @Test
    void findsTheOptionAfterWhatLinuxWritesOnSynAndDataSegments() {
        assertEquals(ID, read(ipv4(tcp(concat(synOptions(), tag(EXID, ID)), new byte[0]))));
        assertEquals(ID, read(ipv4(tcp(concat(timestamps(1, 2), tag(EXID, ID)), PAYLOAD))));
        // Another writer's odd-length option before ours leaves it unaligned.
        assertEquals(ID, read(ipv4(tcp(concat(timestamps(1, 2), new byte[] {(byte) 253, 3, 9}, tag(EXID, ID)), PAYLOAD))));
    }

    @Test
    void readsIpv6AndIpv4WithOptions() {
        byte[] segment = tcp(concat(timestamps(1, 2), tag(EXID, ID)), PAYLOAD);
        assertEquals(ID, read(ipv6(segment)));
        byte[] ipOptions = Packets.ipv4("10.213.90.1", "10.213.90.2", 6, 1, 0, new byte[] {1, 1, 1, 1, 1, 1, 1, 0}, segment);
        assertEquals(ID, read(Packets.ethernet(Packets.ETH_P_IP, ipOptions)));
    }

    @Test
    void anAbsentOptionReadsAsZero() {
        assertEquals(0, read(ipv4(tcp(new byte[0], PAYLOAD))), "no options");
        assertEquals(0, read(ipv4(tcp(timestamps(1, 2), PAYLOAD))), "only timestamps");
        assertEquals(0, read(ipv4(tcp(concat(timestamps(1, 2), tag(0x1234, ID)), PAYLOAD))), "another experiment's option");
        assertEquals(0, read(ipv4(tcp(new byte[0], concat(tag(EXID, ID), PAYLOAD)))), "our bytes in the payload");
        byte[] lookAlike = concat(new byte[] {1, 1, 8, 10}, tag(EXID, ID), new byte[] {0, 0});
        assertEquals(0, read(ipv4(tcp(lookAlike, PAYLOAD))), "our bytes inside a timestamp option");
    }

    @Test
    void findsOursAfterAnotherExperimentsOptionOfTheSameShape() {
        assertEquals(ID, read(ipv4(tcp(concat(tag(0x1234, 99), tag(EXID, ID)), PAYLOAD))));
    }

    @Test
    void theWalkStopsAtTheEndOfOptionsAndAtMalformedOnes() {
        assertEquals(0, read(ipv4(tcp(concat(new byte[] {0}, nops(3), tag(EXID, ID)), PAYLOAD))), "after EOL");
        assertEquals(0, read(ipv4(tcp(concat(new byte[] {5, 1}, nops(2), tag(EXID, ID)), PAYLOAD))), "a length of 1");
        assertEquals(0, read(ipv4(tcp(concat(new byte[] {5, 0}, nops(2), tag(EXID, ID)), PAYLOAD))), "a length of 0");
        // The header claims 12 bytes of options; ours would reach 4 bytes into the payload.
        byte[] overrun = tcp(concat(nops(8), tag(EXID, ID)), new byte[0]);
        overrun[12] = (byte) ((20 + 12) / 4 << 4);
        assertEquals(0, read(ipv4(overrun)), "an option running past the data offset");
    }

    @Test
    void aTruncatedSegmentYieldsTheOptionOnlyIfItIsWhole() {
        byte[] options = concat(timestamps(1, 2), tag(EXID, ID), nops(20));   // 40 bytes claimed
        byte[] frame = ipv4(tcp(options, new byte[0]));
        int optionEnd = TCP_OFFSET_IPV4 + 20 + 12 + TcpTagOption.LENGTH;
        for (int cut = TCP_OFFSET_IPV4; cut < optionEnd; cut++) {
            assertEquals(0, read(Arrays.copyOf(frame, cut)), "cut at " + cut);
        }
        for (int cut = optionEnd; cut <= frame.length; cut++) {
            assertEquals(ID, read(Arrays.copyOf(frame, cut)), "cut at " + cut);
        }
    }

    @Test
    void otherPacketsReadAsZero() {
        byte[] segment = tcp(tag(EXID, ID), PAYLOAD);
        assertEquals(0, read(Packets.ethernet(Packets.ETH_P_IP, Packets.ipv4("10.213.90.1", "10.213.90.2", 17, segment))), "UDP");
        assertEquals(0, read(Packets.ethernet(Packets.ETH_P_IPV6, Packets.ipv6("fd00::1", "fd00::2", 17, segment))), "UDP over IPv6");
        assertEquals(0, read(Packets.ethernet(Packets.ETH_P_IP,
                Packets.ipv4("10.213.90.1", "10.213.90.2", 6, 1, 0x0010, new byte[0], segment))), "a later fragment");
        assertEquals(0, read(Packets.arpRequest()), "ARP");
        assertEquals(0, read(Packets.ethernetVlan(10, Packets.ETH_P_IP, Packets.ipv4("10.213.90.1", "10.213.90.2", 6, segment))),
                "VLAN-tagged");
        assertEquals(0, read(Arrays.copyOf(ipv4(segment), TCP_OFFSET_IPV4 + 19)), "a TCP header cut short");
    }

    @Test
    void aReaderForAnotherExidFindsOnlyThatOne() {
        try (Program other = TagTestPrograms.returningTag("vtct_read_x", a -> TcpTagReader.emit(a, R6, R7, SCRATCH, 0xBEEF))) {
            byte[] both = ipv4(tcp(concat(tag(EXID, ID), tag(0xBEEF, 77)), PAYLOAD));
            assertEquals(77, other.testRun(both, 1).returnValue());
            assertEquals(ID, read(both));
        }
    }

    /** Random option areas, well-formed or not, cut anywhere: the kernel walk agrees with the Java one. */
    @Test
    void agreesWithTheJavaParserOnRandomOptionAreas() {
        try (BpfMap counters = BpfMap.create(TagCounter.mapSpec("vtct_counters"))) {
            TcpTagOption option = new TcpTagOption(counters, EXID);
            int found = 0;
            for (int round = 0; round < 3000; round++) {
                byte[] segment = tcp(randomOptions(), PAYLOAD);
                boolean ipv6 = random.nextBoolean();
                byte[] frame = ipv6 ? ipv6(segment) : ipv4(segment);
                int tcpOffset = ipv6 ? 14 + 40 : TCP_OFFSET_IPV4;
                if (random.nextInt(4) == 0) {
                    frame = Arrays.copyOf(frame, tcpOffset + 20 + random.nextInt(41));
                }
                int expected = option.idIn(Arrays.copyOfRange(frame, tcpOffset, frame.length));
                assertEquals(expected, read(frame), "options " + hex(Arrays.copyOfRange(frame, tcpOffset + 20,
                        Math.min(frame.length, tcpOffset + 60))));
                found += expected != 0 ? 1 : 0;
            }
            assertTrue(found > 500, "the random areas hold our option often enough to test finding it: " + found);
        }
    }

    /**
     * The unrolled walk keeps the verifier's work about linear in the 40 positions: a program that
     * cost exponential or even quadratic exploration would near the kernel's budget of a million
     * instructions as soon as a probe composed it with more code.
     */
    @Test
    void theVerifierAcceptsTheWalkCheaply() {
        OptionalInt cost = VerifierCost.of(reader);
        Assumptions.assumeTrue(cost.isPresent(), "this kernel does not report verified_insns (Linux 5.16+)");
        int size = reader.instructions().size();
        System.out.println("TCP tag reader: " + size + " instructions, " + cost.getAsInt() + " verified");
        assertTrue(cost.getAsInt() < 50_000, "verified " + cost.getAsInt() + " instructions for a program of " + size);
    }

    @Test
    void rejectsRegistersThatHelpersClobber() {
        assertThrows(IllegalArgumentException.class, () -> TcpTagReader.emit(new Assembler(), R1, R7, SCRATCH));
        assertThrows(IllegalArgumentException.class, () -> TcpTagReader.emit(new Assembler(), R6, R6, SCRATCH));
        assertThrows(IllegalArgumentException.class, () -> TcpTagReader.emit(new Assembler(), R6, R7, SCRATCH, 0x10000));
    }

    private byte[] randomOptions() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (out.size() < 40) {
            int left = 40 - out.size();
            int pick = random.nextInt(20);
            if (pick < 5) {
                out.write(1);
            } else if (pick < 8 && left >= 8) {
                out.writeBytes(tag(EXID, random.nextInt()));
            } else if (pick < 10 && left >= 8) {
                out.writeBytes(tag(random.nextInt(0x10000), random.nextInt()));
            } else if (pick < 11) {
                out.write(0);
            } else if (pick < 12) {
                out.write(random.nextInt(256));                // garbage: any kind, any length after it
            } else {
                int length = 2 + random.nextInt(11);              // may run past the area: malformed
                out.write(2 + random.nextInt(250));
                out.write(length);
                for (int i = 2; i < length; i++) {
                    out.write(random.nextInt(8) == 0 ? TcpTagOption.KIND : random.nextInt(256));
                }
            }
        }
        return Arrays.copyOf(out.toByteArray(), 4 * random.nextInt(11));
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(String.format("%02x", b & 0xFF));
        }
        return s.toString();
    }
}
