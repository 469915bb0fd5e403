package io.vnettracer.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Property: any record, random or a valid event mutated, at any offset and claimed length, gives
 * either a view whose every field reads, or null with the refusal counted; nothing is thrown.
 * The seed is printed with a failure; -Dproperty.seed=N replays it.
 */
class EventDecoderPropertyTest {
    private static final int TRIES = 20_000;
    private static final int PROBES = 64;

    private static long seed() {
        String given = System.getProperty("property.seed");
        return given != null ? Long.parseLong(given) : new SplittableRandom().nextLong();
    }

    private static byte[] validEvent(SplittableRandom random) {
        MemorySegment s = MemorySegment.ofArray(new byte[EventLayout.SIZE]);
        new EventWriter().wrap(s, 0)
                .kind(EventKind.values()[random.nextInt(EventKind.values().length)])
                .idMode(IdMode.FINGERPRINT)
                .probeId(random.nextInt(PROBES))
                .timestamp(random.nextLong())
                .ipv4(random.nextInt(), random.nextInt(), 17, random.nextInt(65536), random.nextInt(65536))
                .ipLength(random.nextInt());
        return s.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }

    /** A valid event with a few bytes changed, a few bits flipped, cut or grown; or random bytes. */
    private static byte[] record(SplittableRandom random) {
        if (random.nextInt(4) == 0) {
            byte[] b = new byte[random.nextInt(2 * EventLayout.SIZE + 1)];
            random.nextBytes(b);
            return b;
        }
        byte[] b = validEvent(random);
        for (int i = random.nextInt(4); i > 0; i--) {
            int at = random.nextInt(b.length);
            b[at] = random.nextBoolean() ? (byte) random.nextInt(256) : (byte) (b[at] ^ (1 << random.nextInt(8)));
        }
        if (random.nextInt(8) == 0) {
            b = java.util.Arrays.copyOf(b, random.nextInt(2 * EventLayout.SIZE + 1));
        }
        return b;
    }

    @Test
    void anyRecordDecodesOrIsCountedNeverThrows() {
        long seed = seed();
        SplittableRandom random = new SplittableRandom(seed);
        EventDecoder decoder = new EventDecoder(PROBES);
        int decoded = 0;
        for (int i = 0; i < TRIES; i++) {
            byte[] bytes = record(random);
            int pad = random.nextInt(16);
            byte[] buffer = new byte[pad + bytes.length + random.nextInt(16)];
            System.arraycopy(bytes, 0, buffer, pad, bytes.length);
            MemorySegment segment = MemorySegment.ofArray(buffer);
            // The length a ring buffer reports may be the record's or, for a corrupt header, anything.
            int length = random.nextInt(8) == 0 ? random.nextInt(-4, 3 * EventLayout.SIZE) : bytes.length;
            long offset = random.nextInt(16) == 0 ? random.nextInt(-8, buffer.length + 8) : pad;
            long before = decoder.undecodable();
            try {
                EventView view = decoder.decode(segment, offset, length);
                if (view == null) {
                    assertEquals(before + 1, decoder.undecodable(), "a refused record is counted once");
                    continue;
                }
                decoded++;
                assertEquals(before, decoder.undecodable());
                assertNotNull(view.kind());
                assertEquals(EventLayout.CURRENT_VERSION, view.version());
                assertTrue(view.probeId() >= 0 && view.probeId() < PROBES);
                readEveryField(view);
            } catch (Throwable t) {
                fail("seed " + seed + ", try " + i + ": offset " + offset + ", length " + length + ", buffer "
                        + HexFormat.of().formatHex(buffer) + ": " + t, t);
            }
        }
        assertTrue(decoded > TRIES / 10, "the property saw decodable records too: " + decoded);
        assertTrue(decoder.undecodable() > TRIES / 10, "and refused ones: " + decoder.undecodable());
    }

    private static void readEveryField(EventView v) {
        long sum = v.version() + v.kindCode() + v.idModeCode() + v.flags() + v.probeId() + v.timestamp() + v.tag() + v.cpu()
                + v.ifindex() + v.skbLength() + v.netnsCookie() + v.extra() + v.family() + v.protocol() + v.srcPort()
                + v.dstPort() + v.ipId() + v.ipLength() + v.tcpFlags() + v.headersLength() + v.tcpPayloadLength() + v.tcpSeq()
                + v.l4Data() + v.srcIpv4() + v.dstIpv4() + v.fingerprint();
        MemorySegment copy = MemorySegment.ofArray(new byte[EventLayout.SIZE]);
        v.copyTo(copy, 0);
        sink = sum;
    }

    /** Where the fields read go, so that reading them is not optimized away. */
    private static volatile long sink;
}
