package io.vnettracer.session;

import io.vnettracer.probe.program.ProbeMaps;

/**
 * Tells a joiner (its {@code ProbeShortfalls}: {@code new ShortfallReader(s::ringLoss, s::sampling)})
 * when its probes may have missed sightings: after every drain pass, which probes'
 * ring-buffer loss counters grew and which sample, since the pass before. The loss happened between
 * the two reads of the counter; the interval reported starts one read earlier, as the packet's
 * other sightings may precede the earlier read (in CLOCK_MONOTONIC, the probes' clock, read with
 * {@link System#nanoTime()} as HotSpot does on Linux), and for a UDP socket receive
 * probe reaching back by the longest wait of a datagram in its socket's queue ({@link
 * TraceSession#udpReadLag}). Keeps the latest counts for
 * the summary's {@code probes[].lost}. Used on the drain thread only.
 */
public final class ShortfallReader {
    /** Probe {@code probeId} lost ring-buffer records stamped between {@code from} and {@code to}. */
    @FunctionalInterface
    public interface RingLoss {
        void lost(int probeId, long from, long to);
    }

    /** Probe {@code probeId} records 1 packet in {@code every} from {@code at} on. */
    @FunctionalInterface
    public interface Sampling {
        void rate(int probeId, int every, long at);
    }

    private final RingLoss ringLoss;
    private final Sampling sampling;
    private final long[] lost = new long[ProbeMaps.MAX_PROBES];
    /** When the counters were last read; before the first read, the losses' time is not known. */
    private long lastRead = Long.MIN_VALUE;
    /** The read before {@link #lastRead}. */
    private long readBefore = Long.MIN_VALUE;

    public ShortfallReader(RingLoss ringLoss, Sampling sampling) {
        this.ringLoss = ringLoss;
        this.sampling = sampling;
    }

    /** Reads {@code session}'s counters and sampling rates now and reports what changed. */
    public void read(TraceSession session) {
        long now = System.nanoTime();
        long since = lastRead;
        int attached = Math.min(lost.length, session.nextProbeId());
        for (int id = 0; id < attached; id++) {
            long l = session.lostEvents(id);
            if (l > lost[id]) {
                // The lost record's packet may have been seen elsewhere just before the earlier
                // read (a pass can fall between two probes' sightings of it, and the joiner's
                // reach is learnt, short at first): reach back one more pass. A UDP read writes
                // its datagram's record long after the datagram arrived (it waited in the
                // socket's queue): reach back that far too.
                long lag = session.udpReadLag(id);
                ringLoss.lost(id, readBefore == Long.MIN_VALUE ? readBefore : readBefore - lag, now);
                lost[id] = l;
            }
            // A change of rate took effect somewhere in the interval: sampling is taken to start at
            // its beginning and to stop at its end, so no sampled-out packet is counted as lost.
            int every = session.sampleEvery(id);
            sampling.rate(id, every, every > 1 ? since : now);
        }
        readBefore = lastRead;
        lastRead = now;
    }

    /** Ring-buffer records probe {@code probeId} lost, as of the latest read. */
    public long ringLoss(int probeId) {
        return probeId >= 0 && probeId < lost.length ? lost[probeId] : 0;
    }
}
