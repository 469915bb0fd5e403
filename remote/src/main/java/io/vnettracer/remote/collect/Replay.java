package io.vnettracer.remote.collect;

import io.vnettracer.journey.clock.ClockOffset;
import io.vnettracer.event.EventLayout;
import io.vnettracer.event.EventView;
import io.vnettracer.journey.JourneyJoiner;
import io.vnettracer.journey.Summary;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

/**
 * Feeds every node's durable log into one joiner, on the collector's time base, merged in
 * timestamp order (each node's records are close to time order already; the merge interleaves
 * the nodes). Each record's probe id becomes the collector's ({@link NodeScripts#globalId}) and
 * its timestamp the collector's clock ({@link ClockOffset#toReference}), rewritten in the frame.
 * Probes added live are known when the collector registered them ({@link NodeScripts#addLive});
 * records of any other probe get an id the joiner counts as unknown.
 */
final class Replay {
    private static final ValueLayout.OfLong U64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int UNKNOWN_PROBE = Integer.MAX_VALUE;

    private Replay() {}

    /** What one node's log held: batches, records, and its final counters summed over its probes. */
    record NodeTotals(String node, long batches, long records, long ringLost, long spoolDropped, long undecodable) {}

    /** What the replay found besides journeys: losses by the joiner's probe id, and each node's totals. */
    record Totals(long[] lossesByProbe, long undecodable, List<NodeTotals> nodes) {}

    /** Replays {@code logs} (node → its log file), one frame per node in memory at a time. */
    static Totals replay(NodeScripts scripts, Map<String, java.nio.file.Path> logs, ClockOffsets clocks, JourneyJoiner joiner) {
        return replay(scripts, logs, clocks, joiner, null);
    }

    /** As above; every event, rewritten to the collector's ids and clock, also goes to {@code alsoTo} (null: nowhere). */
    static Totals replay(NodeScripts scripts, Map<String, java.nio.file.Path> logs, ClockOffsets clocks, JourneyJoiner joiner,
                         java.util.function.Consumer<EventView> alsoTo) {
        List<String> nodes = scripts.nodes();
        Cursor[] cursors = new Cursor[nodes.size()];
        try {
            for (int i = 0; i < cursors.length; i++) {
                String node = nodes.get(i);
                cursors[i] = new Cursor(node, new LogReader(logs.get(node)), clocks.of(node), scripts);
            }
            EventView view = new EventView();
            while (true) {
                Cursor next = null;
                for (Cursor c : cursors) {
                    if (c.hasRecord() && (next == null || c.timestamp() < next.timestamp())) {
                        next = c;
                    }
                }
                if (next == null) {
                    break;
                }
                joiner.onEvent(view.wrap(next.segment, next.offset));
                if (alsoTo != null) {
                    alsoTo.accept(view);
                }
                next.advance();
            }
        } finally {
            for (Cursor c : cursors) {
                if (c != null) {
                    c.reader.close();
                }
            }
        }
        long[] losses = new long[Math.max(64, scripts.probeCount())];
        long undecodable = 0;
        List<NodeTotals> totals = new java.util.ArrayList<>();
        for (Cursor c : cursors) {
            long ring = 0;
            long spool = 0;
            if (c.lastFrame != null) {
                undecodable += c.lastFrame.undecodable();
                for (int local = 0; local < c.lastFrame.ringLost().length; local++) {
                    ring += c.lastFrame.ringLost()[local];
                    spool += c.lastFrame.spoolDropped()[local];
                    int global = scripts.globalId(c.node, local);
                    if (global >= 0 && global < losses.length) {
                        losses[global] += c.lastFrame.ringLost()[local] + c.lastFrame.spoolDropped()[local];
                    }
                }
            }
            totals.add(new NodeTotals(c.node, c.frames, c.records, ring, spool,
                    c.lastFrame == null ? 0 : c.lastFrame.undecodable()));
        }
        // The agents' frames say how many records a probe lost, not when: the whole trace is its
        // shortfall, so journeys missing there are unaccounted rather than lost.
        for (int id = 0; id < losses.length; id++) {
            if (losses[id] > 0) joiner.shortfalls().ringLoss(id, Long.MIN_VALUE, Long.MAX_VALUE);
        }
        joiner.flush();
        return new Totals(losses, undecodable, totals);
    }

    static Summary summary(JourneyJoiner joiner, Totals totals) {
        return joiner.summary(id -> id >= 0 && id < totals.lossesByProbe().length ? totals.lossesByProbe()[id] : 0);
    }

    /** One node's records, one at a time, rewritten to the collector's ids and clock. */
    private static final class Cursor {
        final String node;
        final LogReader reader;
        private final ClockOffset clock;
        private final NodeScripts scripts;
        LogFrame lastFrame;
        long frames;
        long records;
        MemorySegment segment;
        long offset;

        Cursor(String node, LogReader reader, ClockOffset clock, NodeScripts scripts) {
            this.node = node;
            this.reader = reader;
            this.clock = clock;
            this.scripts = scripts;
            nextFrame();
        }

        private void nextFrame() {
            for (LogFrame f = reader.next(); f != null; f = reader.next()) {
                lastFrame = f;
                frames++;
                byte[] records = f.records();
                this.records += records.length / EventLayout.SIZE;
                if (records.length >= EventLayout.SIZE) {
                    segment = MemorySegment.ofArray(records);
                    offset = 0;
                    rewrite();
                    return;
                }
            }
            segment = null;
        }

        boolean hasRecord() {
            return segment != null;
        }

        long timestamp() {
            return segment.get(U64_LE, offset + EventLayout.TIMESTAMP);
        }

        void advance() {
            offset += EventLayout.SIZE;
            if (offset + EventLayout.SIZE > segment.byteSize()) {
                nextFrame();
            } else {
                rewrite();
            }
        }

        private void rewrite() {
            int local = segment.get(U32_LE, offset + EventLayout.PROBE_ID);
            int global = scripts.globalId(node, local);
            segment.set(U32_LE, offset + EventLayout.PROBE_ID, global < 0 ? UNKNOWN_PROBE : global);
            segment.set(U64_LE, offset + EventLayout.TIMESTAMP, clock.toReference(segment.get(U64_LE, offset + EventLayout.TIMESTAMP)));
        }
    }
}
