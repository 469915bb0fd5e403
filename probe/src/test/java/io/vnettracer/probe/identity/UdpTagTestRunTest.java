package io.vnettracer.probe.identity;

import static io.vnettracer.bpf.asm.Reg.*;
import static io.vnettracer.probe.identity.TagTestPrograms.SCRATCH;
import static io.vnettracer.probe.identity.UdpFrames.ETH_HLEN;
import static io.vnettracer.probe.identity.UdpFrames.u16;
import static org.junit.jupiter.api.Assertions.*;

import io.vnettracer.bpf.map.BpfMap;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.prog.SkBuffFields;
import io.vnettracer.bpf.prog.TestRunResult;
import io.vnettracer.bpf.testing.Root;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The tag generators loaded into the kernel and run on crafted frames (BPF_PROG_TEST_RUN). */
class UdpTagTestRunTest {
    private static final int MTU = 1500;
    /** sizeof(struct __sk_buff). */
    private static final int SK_BUFF_SIZE = 192;

    private final Random random = new Random(42);
    private BpfMap counters;
    private Program writer;
    private Program reader;
    private Program stripper;

    @BeforeEach
    void load() {
        Root.assume();
        counters = BpfMap.create(TagCounter.mapSpec("vtag_counters"));
        UdpTagWriter w = new UdpTagWriter(counters, MTU);
        UdpTagStripper s = new UdpTagStripper(counters);
        writer = TagTestPrograms.returningTag("vtag_write", a -> w.emit(a, R6, R7, SCRATCH));
        reader = TagTestPrograms.returningTag("vtag_read", a -> UdpTagReader.emit(a, R6, R7, SCRATCH));
        stripper = TagTestPrograms.returningTag("vtag_strip", a -> s.emit(a, R6, R7, SCRATCH));
    }

    @AfterEach
    void close() {
        for (AutoCloseable c : new AutoCloseable[] {writer, reader, stripper, counters}) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // closing a descriptor does not fail in a way a test could act on
                }
            }
        }
    }

    @Test
    void writerAppendsTrailerGrowsTotLenAndKeepsTheIpChecksumValid() {
        byte[] frame = UdpFrames.ipv4(payload(100));
        TestRunResult run = writer.testRun(frame, 1);
        byte[] out = run.dataOut();
        int id = run.returnValue();

        assertNotEquals(0, id, "the writer tags an eligible packet with a nonzero id");
        assertEquals(frame.length + TagTrailer.LENGTH, out.length);
        assertEquals(u16(frame, ETH_HLEN + 2) + TagTrailer.LENGTH, u16(out, ETH_HLEN + 2), "tot_len grows by 8");
        assertEquals(UdpFrames.ipv4Checksum(out, 20), u16(out, ETH_HLEN + 10), "the IP header checksum is valid");
        assertArrayEquals(TagTrailer.bytes(id), Arrays.copyOfRange(out, frame.length, out.length));
        assertArrayEquals(Arrays.copyOfRange(frame, ETH_HLEN + 12, frame.length),
                Arrays.copyOfRange(out, ETH_HLEN + 12, frame.length), "addresses, UDP header and payload unchanged");
        assertEquals(0, totalSkips());
    }

    @Test
    void readerFindsTheIdAndStripperRestoresTheOriginalBytes() {
        byte[] frame = UdpFrames.ipv4(payload(333));
        TestRunResult tagged = writer.testRun(frame, 1);

        assertEquals(tagged.returnValue(), reader.testRun(tagged.dataOut(), 1).returnValue());
        assertEquals(0, reader.testRun(frame, 1).returnValue(), "an untagged packet reads as 0");

        TestRunResult stripped = stripper.testRun(tagged.dataOut(), 1);
        assertEquals(tagged.returnValue(), stripped.returnValue());
        assertArrayEquals(frame, stripped.dataOut(), "the stripper leaves the packet exactly as it was");
        TestRunResult untouched = stripper.testRun(frame, 1);
        assertEquals(0, untouched.returnValue());
        assertArrayEquals(frame, untouched.dataOut());
        assertEquals(0, counters.sumLong(TagCounter.STRIP_FAILED.ordinal()));
    }

    @Test
    void ipv4WithOptionsAndEmptyPayloadRoundTrips() {
        for (byte[] frame : new byte[][] {UdpFrames.ipv4(payload(17), 3, 0x4000, 17), UdpFrames.ipv4(new byte[0])}) {
            TestRunResult tagged = writer.testRun(frame, 1);
            assertNotEquals(0, tagged.returnValue());
            int ihl = (frame[ETH_HLEN] & 0x0F) * 4;
            assertEquals(UdpFrames.ipv4Checksum(tagged.dataOut(), ihl), u16(tagged.dataOut(), ETH_HLEN + 10));
            assertEquals(tagged.returnValue(), reader.testRun(tagged.dataOut(), 1).returnValue());
            assertArrayEquals(frame, stripper.testRun(tagged.dataOut(), 1).dataOut());
        }
    }

    @Test
    void ipv6GrowsThePayloadLengthAndRoundTrips() {
        byte[] frame = UdpFrames.ipv6(payload(200), 17);
        TestRunResult tagged = writer.testRun(frame, 1);
        byte[] out = tagged.dataOut();

        assertNotEquals(0, tagged.returnValue());
        assertEquals(frame.length + TagTrailer.LENGTH, out.length);
        assertEquals(u16(frame, ETH_HLEN + 4) + TagTrailer.LENGTH, u16(out, ETH_HLEN + 4), "payload_len grows by 8");
        assertEquals(u16(frame, ETH_HLEN + 40 + 4), u16(out, ETH_HLEN + 40 + 4), "the UDP length does not");
        assertEquals(tagged.returnValue(), TagTrailer.idAt(out, frame.length));
        assertEquals(tagged.returnValue(), reader.testRun(out, 1).returnValue());
        assertArrayEquals(frame, stripper.testRun(out, 1).dataOut());
    }

    @Test
    void readerIgnoresEthernetPaddingAfterTheDatagram() {
        byte[] tagged = writer.testRun(UdpFrames.ipv4(payload(2)), 1).dataOut();
        byte[] padded = Arrays.copyOf(tagged, 60);
        assertTrue(padded.length > tagged.length);
        assertEquals(TagTrailer.idAt(tagged, tagged.length - 8), reader.testRun(padded, 1).returnValue());
    }

    @Test
    void readerRefusesEightSurplusBytesThatAreNotATrailer() {
        byte[] frame = UdpFrames.ipv4(payload(40));
        byte[] tagged = writer.testRun(frame, 1).dataOut();
        tagged[tagged.length - 1] ^= 1;                       // ~id no longer matches id
        assertEquals(0, reader.testRun(tagged, 1).returnValue());
        assertArrayEquals(tagged, stripper.testRun(tagged, 1).dataOut(), "no tag, nothing stripped");
    }

    @Test
    void idsAreNonzeroAndDistinct() {
        byte[] frame = UdpFrames.ipv4(payload(10));
        Set<Integer> ids = new HashSet<>();
        for (int i = 0; i < 64; i++) {
            int id = writer.testRun(frame, 1).returnValue();
            assertNotEquals(0, id);
            ids.add(id);
        }
        assertEquals(64, ids.size(), "64 draws of a 32-bit random id collide with probability below 1e-6");
    }

    @Test
    void gsoPacketsAreLeftAloneAndCounted() {
        byte[] frame = UdpFrames.ipv4(payload(1000));
        byte[] ctx = new byte[SK_BUFF_SIZE];
        ByteBuffer b = ByteBuffer.wrap(ctx).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(SkBuffFields.GSO_SEGS, 2).putInt(SkBuffFields.GSO_SIZE, 500);
        TestRunResult run = writer.testRun(frame, ctx, 1);
        assertSkipped(frame, run, TagCounter.GSO);
    }

    @Test
    void fragmentsAreLeftAloneAndCounted() {
        byte[] moreFragments = UdpFrames.ipv4(payload(64), 0, 0x2000, 17);
        assertSkipped(moreFragments, writer.testRun(moreFragments, 1), TagCounter.FRAGMENT);
        byte[] laterFragment = UdpFrames.ipv4(payload(64), 0, 0x0010, 17);
        assertSkipped(laterFragment, writer.testRun(laterFragment, 1), TagCounter.FRAGMENT);
        byte[] ipv6Fragment = UdpFrames.ipv6(payload(64), 44);
        assertSkipped(ipv6Fragment, writer.testRun(ipv6Fragment, 1), TagCounter.FRAGMENT);
        assertEquals(3, counters.sumLong(TagCounter.FRAGMENT.ordinal()));
    }

    @Test
    void theMtuIsHonouredToTheByte() {
        int headers = 20 + 8;
        byte[] fits = UdpFrames.ipv4(payload(MTU - headers - TagTrailer.LENGTH));
        assertNotEquals(0, writer.testRun(fits, 1).returnValue(), "a datagram of MTU - 8 bytes still takes the tag");
        byte[] over = UdpFrames.ipv4(payload(MTU - headers - TagTrailer.LENGTH + 1));
        assertSkipped(over, writer.testRun(over, 1), TagCounter.OVER_MTU);
    }

    @Test
    void nonUdpPacketsAreLeftAloneAndCounted() {
        byte[] tcp = UdpFrames.ipv4(payload(64), 0, 0x4000, 6);
        assertSkipped(tcp, writer.testRun(tcp, 1), TagCounter.NOT_UDP);
        byte[] arp = UdpFrames.ipv4(payload(64));
        arp[12] = 0x08;
        arp[13] = 0x06;
        assertSkipped(arp, writer.testRun(arp, 1), TagCounter.NOT_UDP);
        byte[] runt = Arrays.copyOf(UdpFrames.ipv4(payload(0)), ETH_HLEN + 20);
        assertSkipped(runt, writer.testRun(runt, 1), TagCounter.NOT_UDP);
        assertEquals(3, counters.sumLong(TagCounter.NOT_UDP.ordinal()));
    }

    @Test
    void aPacketThatAlreadyCarriesSurplusBytesIsNotTaggedTwice() {
        byte[] tagged = writer.testRun(UdpFrames.ipv4(payload(80)), 1).dataOut();
        assertSkipped(tagged, writer.testRun(tagged, 1), TagCounter.ALREADY_LONGER);
        byte[] padded = Arrays.copyOf(UdpFrames.ipv4(payload(2)), 60);
        assertSkipped(padded, writer.testRun(padded, 1), TagCounter.ALREADY_LONGER);
    }

    @Test
    void theGeneratorsRefuseRegistersThatHelpersClobber() {
        UdpTagWriter w = new UdpTagWriter(counters, MTU);
        var a = new io.vnettracer.bpf.asm.Assembler();
        assertThrows(IllegalArgumentException.class, () -> w.emit(a, R1, R7, SCRATCH));
        assertThrows(IllegalArgumentException.class, () -> UdpTagReader.emit(a, R6, R6, SCRATCH));
        assertThrows(IllegalArgumentException.class, () -> new UdpTagWriter(counters, 40));
    }

    private void assertSkipped(byte[] frame, TestRunResult run, TagCounter reason) {
        assertEquals(0, run.returnValue(), reason.label() + ": no tag");
        assertArrayEquals(frame, run.dataOut(), reason.label() + ": the packet is untouched");
        assertTrue(counters.sumLong(reason.ordinal()) >= 1, reason.label() + " is counted");
    }

    private long totalSkips() {
        long sum = 0;
        for (TagCounter c : TagCounter.values()) {
            sum += counters.sumLong(c.ordinal());
        }
        return sum;
    }

    private byte[] payload(int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }
}
