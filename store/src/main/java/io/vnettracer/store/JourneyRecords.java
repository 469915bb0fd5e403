package io.vnettracer.store;

import io.vnettracer.journey.FinishedJourney;
import io.vnettracer.journey.FlowKey;
import java.nio.ByteBuffer;

/**
 * A finalized journey copied into a batch, so the writer thread can store it after the joiner has
 * reused its arrays: a fixed head (sequence, identity, flow key, drop) and 16 bytes per sighting
 * (catalog index, timestamp, IP length). Little-endian, like the events beside it.
 */
final class JourneyRecords {
    /** sequence 8, identity 8, has flow 1, family 1, protocol 1, ports 2+2, addresses 4×8, drop probe 4, reason 4, hops 2. */
    static final int HEAD_BYTES = 8 + 8 + 1 + 1 + 1 + 2 + 2 + 32 + 4 + 4 + 2;
    static final int HOP_BYTES = 16;

    private JourneyRecords() {}

    static int bytes(FinishedJourney journey) {
        return HEAD_BYTES + journey.hops() * HOP_BYTES;
    }

    /** Appends the journey at the buffer's position. Allocation-free. */
    static void write(FinishedJourney j, ByteBuffer out) {
        out.putLong(j.sequence()).putLong(j.identityKey());
        FlowKey f = j.flow();
        if (f == null) {
            out.put((byte) 0).put((byte) 0).put((byte) 0).putShort((short) 0).putShort((short) 0)
                    .putLong(0).putLong(0).putLong(0).putLong(0);
        } else {
            out.put((byte) 1).put((byte) f.family()).put((byte) f.protocol())
                    .putShort((short) f.srcPort()).putShort((short) f.dstPort())
                    .putLong(f.srcHigh()).putLong(f.srcLow()).putLong(f.dstHigh()).putLong(f.dstLow());
        }
        out.putInt(j.dropProbe()).putInt(j.dropReason()).putShort((short) j.hops());
        for (int i = 0; i < j.hops(); i++) {
            out.putInt(j.hopProbe(i)).putLong(j.hopTimestamp(i)).putInt(j.hopBytes(i));
        }
    }

    /** One journey read back on the writer thread (allocates: that thread may). */
    record Decoded(long sequence, long identityKey, FlowKey flow, int dropProbe, int dropReason,
                   int[] hopProbe, long[] hopTs, int[] hopBytes) {}

    static Decoded read(ByteBuffer in) {
        long sequence = in.getLong();
        long identity = in.getLong();
        boolean hasFlow = in.get() != 0;
        int family = Byte.toUnsignedInt(in.get());
        int protocol = Byte.toUnsignedInt(in.get());
        int sport = Short.toUnsignedInt(in.getShort());
        int dport = Short.toUnsignedInt(in.getShort());
        long srcHigh = in.getLong(), srcLow = in.getLong(), dstHigh = in.getLong(), dstLow = in.getLong();
        int dropProbe = in.getInt();
        int dropReason = in.getInt();
        int hops = Short.toUnsignedInt(in.getShort());
        int[] probe = new int[hops];
        long[] ts = new long[hops];
        int[] bytes = new int[hops];
        for (int i = 0; i < hops; i++) {
            probe[i] = in.getInt();
            ts[i] = in.getLong();
            bytes[i] = in.getInt();
        }
        FlowKey flow = hasFlow ? new FlowKey(family, protocol, srcHigh, srcLow, sport, dstHigh, dstLow, dport) : null;
        return new Decoded(sequence, identity, flow, dropProbe, dropReason, probe, ts, bytes);
    }
}
