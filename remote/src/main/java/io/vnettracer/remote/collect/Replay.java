package io.vnettracer.remote.collect;

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
 * its timestamp the collector's clock ({@link NodeClock#toCollector}), rewritten in the frame.
 * Records of probes the script does not name (added live) get an id the joiner counts as unknown.
 */
final class Replay {
    private static final ValueLayout.OfLong U64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final int UNKNOWN_PROBE = Integer.MAX_VALUE;

    private Replay() {}

    /** What the replay found besides journeys: losses by the joiner's probe id, and undecodable records. */
    record Totals(long[] lossesByProbe, long undecodable) {}

    static Totals replay(NodeScripts scripts, Map<String, List<LogFrame>> logs, ClockOffsets clocks, JourneyJoiner joiner) {
        List<String> nodes = scripts.nodes();
        Cursor[] cursors = new Cursor[nodes.size()];
        long[] losses = new long[Math.max(64, scripts.whole().probes().size())];
        long undecodable = 0;
        for (int i = 0; i < cursors.length; i++) {
            String node = nodes.get(i);
            List<LogFrame> frames = logs.getOrDefault(node, List.of());
            cursors[i] = new Cursor(node, frames, clocks.of(node), scripts);
            if (!frames.isEmpty()) {
                LogFrame lastFrame = frames.get(frames.size() - 1);
                undecodable += lastFrame.undecodable();
                for (int local = 0; local < lastFrame.ringLost().length; local++) {
                    int global = scripts.globalId(node, local);
                    if (global >= 0 && global < losses.length) {
                        losses[global] += lastFrame.ringLost()[local] + lastFrame.spoolDropped()[local];
                    }
                }
            }
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
            next.advance();
        }
        joiner.flush();
        return new Totals(losses, undecodable);
    }

    static Summary summary(JourneyJoiner joiner, Totals totals) {
        return joiner.summary(id -> id >= 0 && id < totals.lossesByProbe().length ? totals.lossesByProbe()[id] : 0);
    }

    /** One node's records, one at a time, rewritten to the collector's ids and clock. */
    private static final class Cursor {
        private final String node;
        private final List<LogFrame> frames;
        private final NodeClock clock;
        private final NodeScripts scripts;
        private int frame = -1;
        MemorySegment segment;
        long offset;

        Cursor(String node, List<LogFrame> frames, NodeClock clock, NodeScripts scripts) {
            this.node = node;
            this.frames = frames;
            this.clock = clock;
            this.scripts = scripts;
            nextFrame();
        }

        private void nextFrame() {
            while (++frame < frames.size()) {
                byte[] records = frames.get(frame).records();
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
            segment.set(U64_LE, offset + EventLayout.TIMESTAMP, clock.toCollector(segment.get(U64_LE, offset + EventLayout.TIMESTAMP)));
        }
    }
}
