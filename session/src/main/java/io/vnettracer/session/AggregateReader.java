package io.vnettracer.session;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.vnettracer.bpf.map.BpfMap;
import io.vnettracer.event.DelayBuckets;
import io.vnettracer.event.KernelAggregates;
import io.vnettracer.probe.program.AggregateMaps;
import io.vnettracer.probe.program.ProbeMaps;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads what aggregate-mode probes add up ({@link AggregateMaps}) into {@link KernelAggregates}, a
 * batch of entries per system call. Reading changes nothing: a journey whose last sighting is a
 * journey timeout old and that reached no terminal probe and no drop is counted as ended at the probe
 * that saw it last (lost there, unless that probe is its flow's last) while it still holds its slot,
 * and by the kernel once a newer packet takes the slot ({@link AggregateMaps#COUNT_ENDED}); the others
 * are open. One thread at a time (the session's drain thread, then the closing one).
 */
public final class AggregateReader {
    private static final int BATCH = 4096;
    private static final ValueLayout.OfShort U16_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong U64_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    /** How long a scan of the sightings table serves live summaries (it reads the whole table: megabytes). */
    private static final long SCAN_EVERY_NANOS = 1_000_000_000L;

    private final AggregateMaps maps;
    private long lastScanNs = Long.MIN_VALUE;
    private volatile long lastScanDuration;
    private long[] open = new long[0];
    private long[] ended = new long[0];

    public AggregateReader(AggregateMaps maps) {
        this.maps = maps;
    }

    /**
     * Everything added up so far, as of {@code nowNs} (the probes' clock): journeys still followed are
     * open where they were last seen, those quiet for the timeout ended there. The sightings table is
     * scanned at most once a second unless {@code fresh} (the final read): a summary published for a
     * new flow in between takes the last scan's open and quiet journeys.
     */
    public synchronized KernelAggregates read(long nowNs, boolean fresh) {
        int rows = maps.flowsInUse();
        if (fresh || nowNs - lastScanNs >= SCAN_EVERY_NANOS || lastScanNs == Long.MIN_VALUE) {
            open = new long[rows * ProbeMaps.MAX_PROBES];
            ended = new long[rows * ProbeMaps.MAX_PROBES];
            long start = System.nanoTime();
            scanSightings(nowNs, open, ended);
            lastScanDuration = System.nanoTime() - start;
            lastScanNs = nowNs;
        } else {
            lastScanDuration = 0;
        }
        long[][] counts = readCounts(rows);
        double[] jitter = readJitter(rows);
        Map<Integer, KernelAggregates.Tuple> keys = readFlowTuples();
        Map<Integer, Map<Long, long[]>> segmentFigures = new HashMap<>();
        Map<Integer, Map<Long, long[]>> segmentBuckets = new HashMap<>();
        readSegments(segmentFigures, segmentBuckets);
        List<KernelAggregates.FlowAggregate> flows = new ArrayList<>();
        List<Integer> flowIndexOfRow = new ArrayList<>();
        for (int row = 0; row < rows; row++) {
            final int f = row;
            KernelAggregates.Tuple key = keys.get(f);
            if (f != maps.otherFlow() && key == null) continue;
            long[] packets = new long[ProbeMaps.MAX_PROBES], bytes = new long[ProbeMaps.MAX_PROBES],
                    offsets = new long[ProbeMaps.MAX_PROBES], firsts = new long[ProbeMaps.MAX_PROBES],
                    lasts = new long[ProbeMaps.MAX_PROBES], endedHere = new long[ProbeMaps.MAX_PROBES],
                    openHere = new long[ProbeMaps.MAX_PROBES];
            boolean any = false;
            for (int p = 0; p < ProbeMaps.MAX_PROBES; p++) {
                int i = f * ProbeMaps.MAX_PROBES + p;
                long[] c = counts[i];
                packets[p] = c[0];
                bytes[p] = c[1];
                offsets[p] = c[2];
                firsts[p] = c[3];
                lasts[p] = c[4];
                endedHere[p] = (i < ended.length ? ended[i] : 0) + c[5];
                openHere[p] = i < open.length ? open[i] : 0;
                any |= c[0] > 0;
            }
            if (!any) continue;
            List<KernelAggregates.SegmentAggregate> segments = new ArrayList<>();
            segmentFigures.getOrDefault(f, Map.of()).forEach((seg, v) -> {
                int from = (int) (seg >>> 16) & 0xFF, to = (int) (seg >>> 8) & 0xFF;
                int kind = (int) (seg & 0xFF);
                long[] buckets = segmentBuckets.getOrDefault(f, Map.of()).getOrDefault(seg, new long[DelayBuckets.COUNT]);
                segments.add(new KernelAggregates.SegmentAggregate(from, to, kind, v[0], v[1], v[2], v[3], buckets));
            });
            flowIndexOfRow.add(f);
            flows.add(new KernelAggregates.FlowAggregate(f == maps.otherFlow() ? null : key, packets, bytes, offsets,
                    firsts, lasts, List.copyOf(segments), jitter[f], endedHere, openHere));
        }
        List<KernelAggregates.DropAggregate> drops = readDrops(flowIndexOfRow);
        Map<String, Long> counters = new LinkedHashMap<>();
        for (AggregateMaps.Counter c : AggregateMaps.Counter.values()) counters.put(c.name(), maps.counter(c));
        return new KernelAggregates(List.copyOf(flows), drops, counters, maps.maxFlows());
    }

    /** How long the last {@link #read}'s scan of the sightings table took (0 if it reused the previous scan), ns. */
    public long lastScanNanos() {
        return lastScanDuration;
    }

    /** Journeys in the sightings table by flow and last probe: quiet for the timeout ({@code ended}) or not ({@code open}). */
    private void scanSightings(long nowNs, long[] open, long[] ended) {
        maps.sightings().forEachBatch(BATCH, (keys, values, count) -> {
            for (int i = 0; i < count * AggregateMaps.SEEN_WAYS; i++) {
                long base = (long) i * AggregateMaps.SEEN_SIZE;
                if (values.get(JAVA_LONG, base + AggregateMaps.SEEN_ID) == 0) continue;
                long last = values.get(JAVA_LONG, base + AggregateMaps.SEEN_LAST);
                int flow = values.get(JAVA_INT, base + AggregateMaps.SEEN_FLOW);
                int probe = Byte.toUnsignedInt(values.get(JAVA_BYTE, base + AggregateMaps.SEEN_PROBE));
                long slot = (long) flow * ProbeMaps.MAX_PROBES + probe;
                if (flow < 0 || slot >= open.length) continue;
                if (nowNs - last > maps.timeoutNs()) ended[(int) slot]++;
                else open[(int) slot]++;
            }
        });
    }

    /** counts[flow × MAX_PROBES + probe] = {packets, bytes, offset sum, first, last, ended in the kernel}. */
    private long[][] readCounts(int rows) {
        long[][] out = new long[rows * ProbeMaps.MAX_PROBES][];
        for (int i = 0; i < out.length; i++) out[i] = new long[6];
        maps.counts().forEachBatch(BATCH, out.length, (keys, values, count) -> {
            for (int i = 0; i < count; i++) {
                int index = keys.get(JAVA_INT, 4L * i);
                if (index >= out.length) continue;
                long base = (long) i * AggregateMaps.COUNT_SIZE;
                for (int w = 0; w < 6; w++) out[index][w] = values.get(JAVA_LONG, base + 8L * w);
            }
        });
        return out;
    }

    private double[] readJitter(int rows) {
        double[] out = new double[rows];
        maps.jitter().forEachBatch(BATCH, rows, (keys, values, count) -> {
            for (int i = 0; i < count; i++) {
                int index = keys.get(JAVA_INT, 4L * i);
                if (index < rows) {
                    out[index] = values.get(JAVA_LONG, (long) i * AggregateMaps.JITTER_SIZE + AggregateMaps.JITTER_SCALED) / 16.0;
                }
            }
        });
        return out;
    }

    private Map<Integer, KernelAggregates.Tuple> readFlowTuples() {
        Map<Integer, KernelAggregates.Tuple> out = new HashMap<>();
        maps.flows().forEachBatch(BATCH, (keys, values, count) -> {
            for (int i = 0; i < count; i++) {
                long k = (long) i * AggregateMaps.FLOW_KEY_SIZE;
                int family = Byte.toUnsignedInt(keys.get(JAVA_BYTE, k + 37));
                int protocol = Byte.toUnsignedInt(keys.get(JAVA_BYTE, k + 36));
                out.put(values.get(JAVA_INT, 8L * i), new KernelAggregates.Tuple(family, protocol,
                        keys.get(U64_BE, k), keys.get(U64_BE, k + 8), Short.toUnsignedInt(keys.get(U16_BE, k + 32)),
                        keys.get(U64_BE, k + 16), keys.get(U64_BE, k + 24), Short.toUnsignedInt(keys.get(U16_BE, k + 34))));
            }
        });
        return out;
    }

    /**
     * Segment figures {count, sum, min, max} and delay buckets, by flow and by (from << 16 | to << 8 |
     * kind).
     */
    private void readSegments(Map<Integer, Map<Long, long[]>> figures, Map<Integer, Map<Long, long[]>> buckets) {
        int cpus = maps.segments().userValueSize() / maps.segments().perCpuSlotSize();
        int segmentSlot = maps.segments().perCpuSlotSize();
        maps.segments().forEachBatch(BATCH, (keys, values, count) -> {
            for (int i = 0; i < count; i++) {
                long k = (long) i * AggregateMaps.SEGMENT_KEY_SIZE;
                long[] sum = {0, 0, Long.MAX_VALUE, 0};
                for (int cpu = 0; cpu < cpus; cpu++) {
                    long v = (long) i * maps.segments().userValueSize() + (long) cpu * segmentSlot;
                    long n = values.get(JAVA_LONG, v + AggregateMaps.SEGMENT_COUNT);
                    if (n == 0) continue;
                    sum[0] += n;
                    sum[1] += values.get(JAVA_LONG, v + AggregateMaps.SEGMENT_SUM);
                    sum[2] = Math.min(sum[2], values.get(JAVA_LONG, v + AggregateMaps.SEGMENT_MIN));
                    sum[3] = Math.max(sum[3], values.get(JAVA_LONG, v + AggregateMaps.SEGMENT_MAX));
                }
                if (sum[0] == 0) sum[2] = 0;
                figures.computeIfAbsent(keys.get(JAVA_INT, k), f -> new HashMap<>()).put(segment(keys, k, false), sum);
            }
        });
        int delaySlot = maps.delays().perCpuSlotSize();
        int delayValue = maps.delays().userValueSize();
        maps.delays().forEachBatch(BATCH, (keys, values, count) -> {
            for (int i = 0; i < count; i++) {
                long k = (long) i * AggregateMaps.SEGMENT_KEY_SIZE;
                int bucket = Short.toUnsignedInt(keys.get(ValueLayout.JAVA_SHORT, k + AggregateMaps.KEY_KIND))
                        & ((1 << AggregateMaps.DELAY_KIND_SHIFT) - 1);
                if (bucket >= DelayBuckets.COUNT) continue;
                long n = 0;
                for (int off = 0; off < delayValue; off += delaySlot) n += values.get(JAVA_LONG, (long) i * delayValue + off);
                buckets.computeIfAbsent(keys.get(JAVA_INT, k), f -> new HashMap<>())
                        .computeIfAbsent(segment(keys, k, true), s -> new long[DelayBuckets.COUNT])[bucket] += n;
            }
        });
    }

    private static long segment(MemorySegment keys, long k, boolean delayKey) {
        int from = Byte.toUnsignedInt(keys.get(JAVA_BYTE, k + AggregateMaps.KEY_FROM));
        int to = Byte.toUnsignedInt(keys.get(JAVA_BYTE, k + AggregateMaps.KEY_TO));
        int kindField = Short.toUnsignedInt(keys.get(ValueLayout.JAVA_SHORT, k + AggregateMaps.KEY_KIND));
        int kind = delayKey ? kindField >>> AggregateMaps.DELAY_KIND_SHIFT : kindField;
        return ((long) from << 16) | ((long) to << 8) | kind;
    }

    /** Drops, their flow given as the row's position in {@code rowsOfFlows} (-1: none of them). */
    private List<KernelAggregates.DropAggregate> readDrops(List<Integer> rowsOfFlows) {
        List<KernelAggregates.DropAggregate> out = new ArrayList<>();
        maps.drops().forEachBatch(BATCH, (keys, values, count) -> {
            for (int i = 0; i < count; i++) {
                long k = (long) i * AggregateMaps.DROP_KEY_SIZE;
                int flow = keys.get(JAVA_INT, k + AggregateMaps.DROP_FLOW);
                long reason = Integer.toUnsignedLong(keys.get(JAVA_INT, k + AggregateMaps.DROP_REASON));
                int last = Byte.toUnsignedInt(keys.get(JAVA_BYTE, k + AggregateMaps.DROP_LAST_PROBE));
                int dropProbe = Byte.toUnsignedInt(keys.get(JAVA_BYTE, k + AggregateMaps.DROP_PROBE));
                out.add(new KernelAggregates.DropAggregate(flow == AggregateMaps.NO_FLOW ? -1 : rowsOfFlows.indexOf(flow),
                        last == AggregateMaps.NO_PROBE ? KernelAggregates.NO_PROBE : last, dropProbe, reason,
                        values.get(JAVA_LONG, 8L * i)));
            }
        });
        return List.copyOf(out);
    }
}
