package io.vnettracer.remote.agent;

import io.vnettracer.event.EventLayout;
import io.vnettracer.event.EventView;
import io.vnettracer.probe.program.ProbeMaps;
import io.vnettracer.session.EventConsumer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * On the session's drain thread: copies each record into the open batch and seals it into the
 * spool when it is full or {@link #MAX_AGE_NANOS} old. Allocates once per batch, not per record.
 * A non-zero clock offset (tests only) is added to every timestamp.
 */
final class RecordBatcher implements EventConsumer {
    static final int MAX_RECORDS = 2048;
    static final long MAX_AGE_NANOS = 20_000_000L;
    private static final ValueLayout.OfLong U64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Spool spool;
    private final long clockOffsetNanos;
    private final byte[] buffer = new byte[MAX_RECORDS * EventLayout.SIZE];
    private final MemorySegment segment = MemorySegment.ofArray(buffer);
    private final int[] byProbe = new int[ProbeMaps.MAX_PROBES];
    private int count;
    private long openedAt;
    private volatile boolean finished;

    RecordBatcher(Spool spool, long clockOffsetNanos) {
        this.spool = spool;
        this.clockOffsetNanos = clockOffsetNanos;
    }

    @Override
    public void onEvent(EventView event) {
        long at = (long) count * EventLayout.SIZE;
        event.copyTo(segment, at);
        if (clockOffsetNanos != 0) {
            segment.set(U64_LE, at + EventLayout.TIMESTAMP, event.timestamp() + clockOffsetNanos);
        }
        int probe = event.probeId();
        if (probe >= 0 && probe < byProbe.length) {
            byProbe[probe]++;
        }
        if (count++ == 0) {
            openedAt = System.nanoTime();
        }
        if (count == MAX_RECORDS) {
            seal(false);
        }
    }

    @Override
    public void afterDrain(int events) {
        if (count > 0 && System.nanoTime() - openedAt >= MAX_AGE_NANOS) {
            seal(false);
        }
    }

    /** Seals what is left and the trace's last batch; call once the session is closed (its drain thread ended). */
    synchronized void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (count > 0) {
            seal(false);
        }
        spool.append(new byte[0], new int[ProbeMaps.MAX_PROBES], true);
    }

    private void seal(boolean last) {
        spool.append(Arrays.copyOf(buffer, count * EventLayout.SIZE), byProbe.clone(), last);
        Arrays.fill(byProbe, 0);
        count = 0;
    }
}
