package io.vnettracer.probe.program;

import static io.vnettracer.bpf.asm.Reg.*;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Helper;
import io.vnettracer.bpf.asm.Reg;
import io.vnettracer.bpf.map.BpfMap;
import io.vnettracer.bpf.sys.Errno;
import io.vnettracer.event.DelayBuckets;
import io.vnettracer.event.PacketKeyLayout;
import io.vnettracer.probe.codegen.Frame;

/**
 * Aggregate mode's per-packet step, in the kernel (the {@code histogram} action): follows a packet
 * from probe to probe by its fingerprint in {@link AggregateMaps} and adds what it sees to its
 * flow's figures, so that no record of the packet crosses to user space.
 *
 * <p>At a path probe: the first sighting of a packet gets its flow's index and a sightings entry;
 * each later one adds the delay since the previous sighting to the segment (previous probe → this
 * one): count, sum, extremes and a delay bucket. A <em>terminal</em> probe (a socket receive probe,
 * or the last probe of a path without one) ends the packet's journey: the delay since its first
 * sighting goes to the end-to-end segment, the flow's RFC 3550 jitter moves, the entry goes. At a
 * drop probe the packet's entry goes and the drop is counted by flow, last probe and reason.
 *
 * <p>Runs after the probe's filter with the key in {@link Frame#KEY}; clobbers R0-R5, R7 and R8
 * (R6, the context, is kept for what follows).
 */
public final class JourneyAggregation {
    /** SplitMix64's constants: the same mixing as {@code io.vnettracer.event.EventView#fingerprint()}. */
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final long MIX1 = 0xBF58476D1CE4E5B9L;
    private static final long MIX2 = 0x94D049BB133111EBL;

    private final AggregateMaps maps;

    public JourneyAggregation(AggregateMaps maps) {
        this.maps = maps;
    }

    /** The step at a path probe; {@code terminal}: the packet's journey in this kernel ends here. */
    public void atPathProbe(Assembler a, int probeId, boolean terminal) {
        String done = "agg_done";
        identity(a);
        a.call(Helper.KTIME_GET_NS).stx(8, R10, Frame.AGG_NOW, R0);
        find(a, "agg_", "agg_new", done);
        a.ldx(1, R1, R7, AggregateMaps.SEEN_PROBE)
                .jeq(R1, probeId, "agg_duplicate")
                .ldx(4, R8, R7, AggregateMaps.SEEN_FLOW)
                // The hop from the probe that saw it last.
                .ldx(8, R1, R10, Frame.AGG_NOW)
                .ldx(8, R2, R7, AggregateMaps.SEEN_LAST)
                .sub64(R1, R2)
                .stx(8, R10, Frame.AGG_DELAY, R1)
                .ldx(1, R1, R7, AggregateMaps.SEEN_PROBE);
        addDelay(a, "hop", R1, probeId, AggregateMaps.KIND_HOP);
        a.ldx(8, R1, R10, Frame.AGG_NOW)
                .ldx(8, R2, R7, AggregateMaps.SEEN_FIRST)
                .sub64(R1, R2)
                .stx(8, R10, Frame.AGG_OFFSET, R1);
        count(a, probeId, "seen");
        if (terminal) {
            a.ldx(8, R1, R10, Frame.AGG_OFFSET)
                    .stx(8, R10, Frame.AGG_DELAY, R1)
                    .ldx(1, R1, R7, AggregateMaps.SEEN_FIRST_PROBE);
            addDelay(a, "e2e", R1, probeId, AggregateMaps.KIND_END_TO_END);
            jitter(a);
            a.st(8, R7, AggregateMaps.SEEN_ID, 0);
        } else {
            a.ldx(8, R1, R10, Frame.AGG_NOW)
                    .stx(8, R7, AggregateMaps.SEEN_LAST, R1)
                    .st(1, R7, AggregateMaps.SEEN_PROBE, probeId);
        }
        a.ja(done);

        a.label("agg_duplicate");
        counter(a, AggregateMaps.Counter.DUPLICATES, "dup");
        a.ja(done);

        a.label("agg_new");
        if (!terminal) {
            // R7: the packet's bucket. A free way if there is one, else the way seen least recently, whose
            // journey is over if quiet for the timeout, else displaced.
            for (int w = 0; w < AggregateMaps.SEEN_WAYS; w++) {
                a.ldx(8, R1, R7, w * AggregateMaps.SEEN_SIZE + AggregateMaps.SEEN_ID)
                        .jeq(R1, 0, "agg_free_way" + w);
            }
            a.mov64(R4, 0)
                    .ldx(8, R5, R7, AggregateMaps.SEEN_LAST);
            for (int w = 1; w < AggregateMaps.SEEN_WAYS; w++) {
                a.ldx(8, R1, R7, w * AggregateMaps.SEEN_SIZE + AggregateMaps.SEEN_LAST)
                        .jge(R1, R5, "agg_not_older" + w)
                        .mov64(R5, R1)
                        .mov64(R4, w * AggregateMaps.SEEN_SIZE)
                        .label("agg_not_older" + w);
            }
            a.add64(R7, R4).ja("agg_victim");
            for (int w = AggregateMaps.SEEN_WAYS - 1; w >= 0; w--) {
                a.label("agg_free_way" + w);
                if (w > 0) a.add64(R7, w * AggregateMaps.SEEN_SIZE);
                a.ja("agg_slot_free");
            }
            a
                    .label("agg_victim")
                    .ldx(8, R2, R10, Frame.AGG_NOW)
                    .ldx(8, R3, R7, AggregateMaps.SEEN_LAST)
                    .sub64(R2, R3)
                    .ldImm64(R3, maps.timeoutNs())
                    .jgt(R2, R3, "agg_slot_quiet");
            counter(a, AggregateMaps.Counter.SIGHTINGS_DISPLACED, "displaced");
            a.ja("agg_slot_free")
                    .label("agg_slot_quiet")
                    .ldx(4, R1, R7, AggregateMaps.SEEN_FLOW)
                    .lsh64(R1, Integer.numberOfTrailingZeros(ProbeMaps.MAX_PROBES))
                    .ldx(1, R2, R7, AggregateMaps.SEEN_PROBE)
                    .add64(R1, R2)
                    .stx(4, R10, Frame.AGG_INDEX, R1);
            lookup(a, maps.counts(), Frame.AGG_INDEX);
            a.jeq(R0, 0, "agg_slot_free")
                    .mov64(R1, 1).atomicAdd(8, R0, AggregateMaps.COUNT_ENDED, R1)
                    .label("agg_slot_free");
        }
        flowIndex(a, true);
        a.st(8, R10, Frame.AGG_OFFSET, 0);
        count(a, probeId, "new");
        if (!terminal) {
            a.ldx(8, R1, R10, Frame.AGG_ID).stx(8, R7, AggregateMaps.SEEN_ID, R1)
                    .ldx(8, R1, R10, Frame.AGG_NOW)
                    .stx(8, R7, AggregateMaps.SEEN_FIRST, R1)
                    .stx(8, R7, AggregateMaps.SEEN_LAST, R1)
                    .stx(4, R7, AggregateMaps.SEEN_FLOW, R8)
                    .st(1, R7, AggregateMaps.SEEN_PROBE, probeId)
                    .st(1, R7, AggregateMaps.SEEN_FIRST_PROBE, probeId);
        }
        a.label(done);
    }

    /**
     * R7 = the way of the packet's bucket in the sightings table that holds AGG_ID (the bucket from
     * AGG_ID's low bits: the fingerprint is well mixed), falling through; else R7 = the bucket, to
     * {@code notFound}; to {@code otherwise} if the lookup failed (it cannot: the index is masked).
     */
    private void find(Assembler a, String p, String notFound, String otherwise) {
        a.ldx(8, R1, R10, Frame.AGG_ID)
                .and64(R1, maps.sightingBuckets() - 1)
                .stx(4, R10, Frame.AGG_INDEX, R1);
        lookup(a, maps.sightings(), Frame.AGG_INDEX);
        a.jeq(R0, 0, otherwise)
                .mov64(R7, R0)
                .ldx(8, R2, R10, Frame.AGG_ID);
        for (int w = 0; w < AggregateMaps.SEEN_WAYS; w++) {
            a.ldx(8, R1, R7, w * AggregateMaps.SEEN_SIZE + AggregateMaps.SEEN_ID)
                    .jeq(R1, R2, p + "way" + w);
        }
        a.ja(notFound);
        for (int w = AggregateMaps.SEEN_WAYS - 1; w > 0; w--) {
            a.label(p + "way" + w).add64(R7, w * AggregateMaps.SEEN_SIZE).ja(p + "found");
        }
        a.label(p + "way0").label(p + "found");
    }

    /**
     * At a socket receive probe, a TCP segment without payload (a pure ACK): it reached its socket but
     * no read will take it, so its journey ends delivered at the probe that saw it last; counted in
     * the segment (first probe, last probe, {@link AggregateMaps#KIND_EMPTY_END}).
     */
    public void atSocketWithoutPayload(Assembler a) {
        identity(a);
        find(a, "agg_empty_", "agg_empty_done", "agg_empty_done");
        a.ldx(4, R1, R7, AggregateMaps.SEEN_FLOW)
                .stx(4, R10, Frame.AGG_SEGMENT_KEY + AggregateMaps.KEY_FLOW, R1)
                .ldx(1, R1, R7, AggregateMaps.SEEN_FIRST_PROBE)
                .stx(1, R10, Frame.AGG_SEGMENT_KEY + AggregateMaps.KEY_FROM, R1)
                .ldx(1, R1, R7, AggregateMaps.SEEN_PROBE)
                .stx(1, R10, Frame.AGG_SEGMENT_KEY + AggregateMaps.KEY_TO, R1)
                .st(2, R10, Frame.AGG_SEGMENT_KEY + AggregateMaps.KEY_KIND, AggregateMaps.KIND_EMPTY_END)
                .st(8, R7, AggregateMaps.SEEN_ID, 0);
        segmentEntry(a, "agg_empty_", "agg_empty_done");
        a.ldx(8, R1, R0, AggregateMaps.SEGMENT_COUNT).add64(R1, 1).stx(8, R0, AggregateMaps.SEGMENT_COUNT, R1)
                .label("agg_empty_done");
    }

    /** The step at a drop probe: the drop reason in {@link Frame#EXTRA}. */
    public void atDropProbe(Assembler a, int probeId) {
        identity(a);
        find(a, "agg_drop_", "agg_unseen", "agg_drop_done");
        a.ldx(4, R8, R7, AggregateMaps.SEEN_FLOW)
                .ldx(1, R1, R7, AggregateMaps.SEEN_PROBE)
                .stx(1, R10, Frame.AGG_DROP_KEY + AggregateMaps.DROP_LAST_PROBE, R1)
                .st(8, R7, AggregateMaps.SEEN_ID, 0)
                .ja("agg_drop_key")
                .label("agg_unseen");
        flowIndex(a, false);
        a.st(1, R10, Frame.AGG_DROP_KEY + AggregateMaps.DROP_LAST_PROBE, AggregateMaps.NO_PROBE)
                .label("agg_drop_key")
                .stx(4, R10, Frame.AGG_DROP_KEY + AggregateMaps.DROP_FLOW, R8)
                .ldx(8, R1, R10, Frame.EXTRA)
                .stx(4, R10, Frame.AGG_DROP_KEY + AggregateMaps.DROP_REASON, R1)
                .st(1, R10, Frame.AGG_DROP_KEY + AggregateMaps.DROP_PROBE, probeId)
                .st(2, R10, Frame.AGG_DROP_KEY + 10, 0)
                .st(4, R10, Frame.AGG_DROP_KEY + 12, 0);
        increment(a, maps.drops(), Frame.AGG_DROP_KEY, AggregateMaps.Counter.DROPS_FULL, "drop");
        a.label("agg_drop_done");
    }

    /**
     * AGG_ID = the key's fingerprint with its top bit cleared, as {@code Identity.fingerprintKey(
     * EventView.fingerprint())} computes it in user space: addresses, ports, protocol, family, IP ID
     * and L4 data mixed word by word.
     */
    private static void identity(Assembler a) {
        a.ldImm64(R0, GOLDEN);
        for (int off : new int[] {PacketKeyLayout.SRC_ADDR, PacketKeyLayout.SRC_ADDR + 8,
                PacketKeyLayout.DST_ADDR, PacketKeyLayout.DST_ADDR + 8}) {
            a.ldx(8, R1, R10, Frame.KEY + off).toBigEndian(R1, 64);
            mix(a);
        }
        // (sport << 48) | (dport << 32) | (protocol << 24) | (family << 16) | ip id
        a.ldx(2, R1, R10, Frame.KEY + PacketKeyLayout.SRC_PORT).toBigEndian(R1, 16).lsh64(R1, 48)
                .ldx(2, R2, R10, Frame.KEY + PacketKeyLayout.DST_PORT).toBigEndian(R2, 16).lsh64(R2, 32).or64(R1, R2)
                .ldx(1, R2, R10, Frame.KEY + PacketKeyLayout.PROTOCOL).lsh64(R2, 24).or64(R1, R2)
                .ldx(1, R2, R10, Frame.KEY + PacketKeyLayout.FAMILY).lsh64(R2, 16).or64(R1, R2)
                .ldx(2, R2, R10, Frame.KEY + PacketKeyLayout.IP_ID).toBigEndian(R2, 16).or64(R1, R2);
        mix(a);
        a.ldx(8, R1, R10, Frame.KEY + PacketKeyLayout.L4_DATA).toBigEndian(R1, 64);
        mix(a);
        finish(a);
        a.lsh64(R0, 1).rsh64(R0, 1)
                .stx(8, R10, Frame.AGG_ID, R0);
    }

    /** R0 = finish(R0 ^ R1) * GOLDEN. */
    private static void mix(Assembler a) {
        a.xor64(R0, R1);
        finish(a);
        a.ldImm64(R3, GOLDEN).mul64(R0, R3);
    }

    /** SplitMix64's finaliser on R0; clobbers R2, R3. */
    private static void finish(Assembler a) {
        a.mov64(R2, R0).rsh64(R2, 30).xor64(R0, R2)
                .ldImm64(R3, MIX1).mul64(R0, R3)
                .mov64(R2, R0).rsh64(R2, 27).xor64(R0, R2)
                .ldImm64(R3, MIX2).mul64(R0, R3)
                .mov64(R2, R0).rsh64(R2, 31).xor64(R0, R2);
    }

    /**
     * R8 = the index of the key's flow. {@code allocate}: a flow not in the table gets the next index
     * (or the shared "other flows" index once {@link AggregateMaps#maxFlows()} are given out);
     * otherwise it gets {@link AggregateMaps#NO_FLOW}.
     */
    private void flowIndex(Assembler a, boolean allocate) {
        for (int off = 0; off < 32; off += 8) {
            a.ldx(8, R1, R10, Frame.KEY + off).stx(8, R10, Frame.AGG_FLOW_KEY + off, R1);
        }
        a.ldx(4, R1, R10, Frame.KEY + PacketKeyLayout.SRC_PORT).stx(4, R10, Frame.AGG_FLOW_KEY + 32, R1)
                .ldx(1, R1, R10, Frame.KEY + PacketKeyLayout.PROTOCOL).stx(1, R10, Frame.AGG_FLOW_KEY + 36, R1)
                .ldx(1, R1, R10, Frame.KEY + PacketKeyLayout.FAMILY).stx(1, R10, Frame.AGG_FLOW_KEY + 37, R1)
                .st(2, R10, Frame.AGG_FLOW_KEY + 38, 0);
        lookup(a, maps.flows(), Frame.AGG_FLOW_KEY);
        a.jeq(R0, 0, "agg_flow_new")
                .ldx(4, R8, R0, 0)
                .ja("agg_flow_known")
                .label("agg_flow_new");
        if (!allocate) {
            a.mov32(R8, AggregateMaps.NO_FLOW).label("agg_flow_known");
            return;
        }
        a.st(4, R10, Frame.AGG_INDEX, 0);
        lookup(a, maps.nextFlow(), Frame.AGG_INDEX);
        a.jeq(R0, 0, "agg_flow_other")
                .mov64(R1, 1)
                .atomicFetchAdd(8, R0, 0, R1)
                .jge(R1, maps.maxFlows() + 1, "agg_flow_other")
                .mov64(R8, R1)
                .stx(8, R10, Frame.AGG_NEW_VALUE, R1)
                .mov64(R4, (int) BpfMap.BPF_NOEXIST)
                .mov64(R3, R10).add64(R3, Frame.AGG_NEW_VALUE)
                .mov64(R2, R10).add64(R2, Frame.AGG_FLOW_KEY)
                .ldMapFd(R1, maps.flows().fd().get())
                .call(Helper.MAP_UPDATE_ELEM)
                .jeq(R0, 0, "agg_flow_known");
        // Another CPU added the flow first: take its index (ours stays unused).
        lookup(a, maps.flows(), Frame.AGG_FLOW_KEY);
        a.jeq(R0, 0, "agg_flow_other")
                .ldx(4, R8, R0, 0)
                .ja("agg_flow_known")
                .label("agg_flow_other")
                .mov64(R8, maps.otherFlow());
        counter(a, AggregateMaps.Counter.OTHER_FLOW_PACKETS, "other");
        a.label("agg_flow_known");
    }

    /** counts[R8 * MAX_PROBES + probe]: one packet, its IP bytes, its offset, first and last time. */
    private void count(Assembler a, int probeId, String name) {
        String done = "agg_count_done_" + name;
        a.mov64(R1, R8).lsh64(R1, Integer.numberOfTrailingZeros(ProbeMaps.MAX_PROBES)).add64(R1, probeId)
                .stx(4, R10, Frame.AGG_INDEX, R1);
        lookup(a, maps.counts(), Frame.AGG_INDEX);
        a.jeq(R0, 0, done)
                .mov64(R1, 1).atomicAdd(8, R0, AggregateMaps.COUNT_PACKETS, R1)
                .ldx(4, R1, R10, Frame.KEY + PacketKeyLayout.IP_LENGTH).atomicAdd(8, R0, AggregateMaps.COUNT_BYTES, R1)
                .ldx(8, R1, R10, Frame.AGG_OFFSET).atomicAdd(8, R0, AggregateMaps.COUNT_OFFSET_SUM, R1)
                .ldx(8, R1, R10, Frame.AGG_NOW)
                .stx(8, R0, AggregateMaps.COUNT_LAST, R1)
                .ldx(8, R2, R0, AggregateMaps.COUNT_FIRST)
                .jne(R2, 0, done)
                .stx(8, R0, AggregateMaps.COUNT_FIRST, R1)
                .label(done);
    }

    /**
     * Adds AGG_DELAY to segment (R8, {@code from}, probe, kind): count, sum, extremes, and its delay
     * bucket. {@code from} is read before any call.
     */
    private void addDelay(Assembler a, String name, Reg from, int probeId, int kind) {
        String p = "agg_" + name + "_";
        a.stx(4, R10, Frame.AGG_SEGMENT_KEY + AggregateMaps.KEY_FLOW, R8)
                .stx(1, R10, Frame.AGG_SEGMENT_KEY + AggregateMaps.KEY_FROM, from)
                .st(1, R10, Frame.AGG_SEGMENT_KEY + AggregateMaps.KEY_TO, probeId)
                .st(2, R10, Frame.AGG_SEGMENT_KEY + AggregateMaps.KEY_KIND, kind)
                // A delay cannot be negative on one clock; guard anyway, as 0.
                .ldx(8, R1, R10, Frame.AGG_DELAY)
                .jsge(R1, 0, p + "positive")
                .st(8, R10, Frame.AGG_DELAY, 0)
                .label(p + "positive");
        segmentEntry(a, p, p + "bucket");
        a
                // Per CPU: plain adds. A CPU's copy of a segment another CPU made starts at 0, so its
                // extremes are set by its first delay.
                .ldx(8, R1, R10, Frame.AGG_DELAY)
                .ldx(8, R2, R0, AggregateMaps.SEGMENT_COUNT)
                .mov64(R3, R2).add64(R3, 1).stx(8, R0, AggregateMaps.SEGMENT_COUNT, R3)
                .ldx(8, R3, R0, AggregateMaps.SEGMENT_SUM).add64(R3, R1).stx(8, R0, AggregateMaps.SEGMENT_SUM, R3)
                .jne(R2, 0, p + "extremes")
                .stx(8, R0, AggregateMaps.SEGMENT_MIN, R1)
                .stx(8, R0, AggregateMaps.SEGMENT_MAX, R1)
                .ja(p + "bucket")
                .label(p + "extremes")
                .ldx(8, R2, R0, AggregateMaps.SEGMENT_MIN)
                .jge(R1, R2, p + "not_min")
                .stx(8, R0, AggregateMaps.SEGMENT_MIN, R1)
                .label(p + "not_min")
                .ldx(8, R2, R0, AggregateMaps.SEGMENT_MAX)
                .jle(R1, R2, p + "bucket")
                .stx(8, R0, AggregateMaps.SEGMENT_MAX, R1)
                .label(p + "bucket")
                .ldx(8, R1, R10, Frame.AGG_DELAY);
        bucketIndex(a, p);
        a.or64(R2, kind << AggregateMaps.DELAY_KIND_SHIFT)
                .stx(2, R10, Frame.AGG_SEGMENT_KEY + AggregateMaps.KEY_KIND, R2);
        increment(a, maps.delays(), Frame.AGG_SEGMENT_KEY, AggregateMaps.Counter.DELAYS_FULL, name + "_delay");
    }

    /** R2 = {@link DelayBuckets#index} of R1 (non-negative); clobbers R3-R5. */
    static void bucketIndex(Assembler a, String p) {
        a.jge(R1, DelayBuckets.SUB_BUCKETS, p + "log")
                .mov64(R2, R1)
                .ja(p + "indexed")
                .label(p + "log")
                .mov64(R4, R1)
                .mov64(R3, 0);
        for (int shift = 32; shift >= 1; shift /= 2) {
            String next = p + "msb" + shift;
            a.mov64(R5, R4).rsh64(R5, shift)
                    .jeq(R5, 0, next)
                    .mov64(R4, R5)
                    .add64(R3, shift)
                    .label(next);
        }
        a.jle(R3, DelayBuckets.MAX_POWER, p + "in_range")
                .mov64(R2, DelayBuckets.COUNT - 1)
                .ja(p + "indexed")
                .label(p + "in_range")
                .mov64(R5, R3).sub64(R5, DelayBuckets.SUB_BITS)
                .mov64(R2, R1).rsh64(R2, R5).and64(R2, DelayBuckets.SUB_BUCKETS - 1)
                .mov64(R4, R3).sub64(R4, DelayBuckets.SUB_BITS - 1).lsh64(R4, DelayBuckets.SUB_BITS)
                .add64(R2, R4)
                .label(p + "indexed");
    }

    /**
     * R0 = this CPU's entry of segment AGG_SEGMENT_KEY in the per-CPU segments map, made (all 0) if
     * new; to {@code full} when the map is full (counted). A CPU's copy of an entry another CPU made
     * starts at 0 too, so users take count 0 as "no delay yet".
     */
    private void segmentEntry(Assembler a, String p, String full) {
        lookup(a, maps.segments(), Frame.AGG_SEGMENT_KEY);
        a.jne(R0, 0, p + "segment");
        for (int off = 0; off < AggregateMaps.SEGMENT_SIZE; off += 8) {
            a.st(8, R10, Frame.AGG_ENTRY + off, 0);
        }
        a.mov64(R4, (int) BpfMap.BPF_NOEXIST)
                .mov64(R3, R10).add64(R3, Frame.AGG_ENTRY)
                .mov64(R2, R10).add64(R2, Frame.AGG_SEGMENT_KEY)
                .ldMapFd(R1, maps.segments().fd().get())
                .call(Helper.MAP_UPDATE_ELEM)
                .jeq(R0, 0, p + "again")
                .jeq(R0, -Errno.EEXIST, p + "again");
        counter(a, AggregateMaps.Counter.SEGMENTS_FULL, p + "segfull");
        a.ja(full).label(p + "again");
        lookup(a, maps.segments(), Frame.AGG_SEGMENT_KEY);
        a.jeq(R0, 0, full)
                .label(p + "segment");
    }

    /** RFC 3550 A.8 on flow R8's jitter, with AGG_OFFSET as this packet's transit time. */
    private void jitter(Assembler a) {
        a.stx(4, R10, Frame.AGG_INDEX, R8);
        lookup(a, maps.jitter(), Frame.AGG_INDEX);
        a.jeq(R0, 0, "agg_jitter_done")
                .ldx(8, R1, R10, Frame.AGG_OFFSET)
                .ldx(8, R2, R0, AggregateMaps.JITTER_TRANSIT)
                .stx(8, R0, AggregateMaps.JITTER_TRANSIT, R1)
                .jeq(R2, 0, "agg_jitter_done")
                .sub64(R1, R2)
                .jsge(R1, 0, "agg_jitter_abs")
                .neg64(R1)
                .label("agg_jitter_abs")
                .ldx(8, R3, R0, AggregateMaps.JITTER_SCALED)
                .mov64(R4, R3).add64(R4, 8).rsh64(R4, 4)
                .sub64(R1, R4)
                .add64(R3, R1)
                .stx(8, R0, AggregateMaps.JITTER_SCALED, R3)
                .label("agg_jitter_done");
    }

    /** R0 = lookup(map, fp + keyOffset). */
    private static void lookup(Assembler a, BpfMap map, int keyOffset) {
        a.mov64(R2, R10).add64(R2, keyOffset)
                .ldMapFd(R1, map.fd().get())
                .call(Helper.MAP_LOOKUP_ELEM);
    }

    /**
     * map[fp + keyOffset] += 1, the entry made if new; a full map counted in {@code full}. A per-CPU
     * map's own copy takes a plain add, a shared one an atomic add.
     */
    private void increment(Assembler a, BpfMap map, int keyOffset, AggregateMaps.Counter full, String name) {
        String p = "agg_inc_" + name + "_";
        lookup(a, map, keyOffset);
        a.jne(R0, 0, p + "add")
                .st(8, R10, Frame.AGG_NEW_VALUE, 1)
                .mov64(R4, (int) BpfMap.BPF_NOEXIST)
                .mov64(R3, R10).add64(R3, Frame.AGG_NEW_VALUE)
                .mov64(R2, R10).add64(R2, keyOffset)
                .ldMapFd(R1, map.fd().get())
                .call(Helper.MAP_UPDATE_ELEM)
                .jeq(R0, 0, p + "done")
                .jeq(R0, -Errno.EEXIST, p + "again");
        counter(a, full, name + "_full");
        a.ja(p + "done").label(p + "again");
        lookup(a, map, keyOffset);
        a.jeq(R0, 0, p + "done")
                .label(p + "add");
        if (map.spec().type().isPerCpu()) {
            a.ldx(8, R1, R0, 0).add64(R1, 1).stx(8, R0, 0, R1);
        } else {
            a.mov64(R1, 1).atomicAdd(8, R0, 0, R1);
        }
        a.label(p + "done");
    }

    /** counters[c] += 1 (per CPU). */
    private void counter(Assembler a, AggregateMaps.Counter c, String name) {
        a.st(4, R10, Frame.AGG_INDEX, c.ordinal());
        lookup(a, maps.counters(), Frame.AGG_INDEX);
        a.jeq(R0, 0, "agg_ctr_" + name)
                .ldx(8, R1, R0, 0).add64(R1, 1).stx(8, R0, 0, R1)
                .label("agg_ctr_" + name);
    }
}
