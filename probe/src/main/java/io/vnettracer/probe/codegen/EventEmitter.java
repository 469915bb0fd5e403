package io.vnettracer.probe.codegen;

import static io.vnettracer.bpf.asm.Reg.*;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Helper;
import io.vnettracer.bpf.map.BpfMap;
import io.vnettracer.event.EventKind;
import io.vnettracer.event.EventLayout;
import io.vnettracer.event.IdMode;
import io.vnettracer.event.PacketKeyLayout;

/**
 * Emits the code that writes one event into the ring buffer from the {@link Frame} slots:
 * reserve, fill every field of {@link EventLayout}, submit. A reservation the full ring refuses is
 * counted in element {@code probeId} of the per-CPU lost-events map, never silently dropped.
 *
 * <p>Wake-ups: none. Every submit says BPF_RB_NO_WAKEUP and the session drains on a 5 ms timer, so
 * a 16 MiB ring could absorb 30 million events a second before the timer came round. Measured
 * (docs/BENCHMARKS.md): waking the consumer on every submit above a fill mark cost 6.5 us a packet
 * whenever the ring was behind; waking only on the submit that crossed the mark still cost a
 * bpf_ringbuf_query per event (~15 ns of a ~120 ns probe); the timer costs nothing per event.
 *
 * <p>Register contract: reads R10 slots only; clobbers R0-R5, R7 and R8; R6 and R9 survive.
 */
public final class EventEmitter {
    /** Flag of bpf_ringbuf_submit, from include/uapi/linux/bpf.h. */
    private static final int BPF_RB_NO_WAKEUP = 1;

    private final BpfMap ring;
    private final BpfMap lostEvents;

    public EventEmitter(BpfMap ring, BpfMap lostEvents) {
        this.ring = ring;
        this.lostEvents = lostEvents;
    }

    /** Emits the event of probe {@code probeId} and falls through after it. */
    public void emit(Assembler a, int probeId, EventKind kind) {
        String prefix = "emit" + a.position() + "_";
        String lost = prefix + "lost";
        String done = prefix + "done";
        reserve(a, lost);
        writeHeader(a, probeId, kind);
        copySlots(a);
        copyKey(a);
        submit(a);
        a.ja(done).label(lost);
        countLost(a, probeId, prefix);
        a.label(done);
    }

    private void reserve(Assembler a, String lost) {
        a.ldMapFd(R1, ring.fd().get())
                .mov64(R2, EventLayout.SIZE)
                .mov64(R3, 0)
                .call(Helper.RINGBUF_RESERVE)
                .jeq(R0, 0, lost)
                .mov64(R7, R0);
    }

    private static void writeHeader(Assembler a, int probeId, EventKind kind) {
        String tagged = "hdr" + a.position() + "_tagged";
        String idDone = "hdr" + a.position() + "_id";
        a.st(1, R7, EventLayout.VERSION, EventLayout.CURRENT_VERSION)
                .st(1, R7, EventLayout.KIND, kind.code())
                .st(4, R7, EventLayout.PROBE_ID, probeId)
                .ldx(8, R1, R10, Frame.FLAGS)
                .stx(1, R7, EventLayout.FLAGS, R1)
                .ldx(8, R1, R10, Frame.TAG)
                .stx(4, R7, EventLayout.TAG, R1)
                .jne(R1, 0, tagged)
                .st(1, R7, EventLayout.ID_MODE, IdMode.FINGERPRINT.code())
                .ja(idDone)
                .label(tagged)
                .st(1, R7, EventLayout.ID_MODE, IdMode.TAG.code())
                .label(idDone)
                .call(Helper.KTIME_GET_NS)
                .stx(8, R7, EventLayout.TIMESTAMP, R0)
                .call(Helper.GET_SMP_PROCESSOR_ID)
                .stx(4, R7, EventLayout.CPU, R0);
    }

    private static void copySlots(Assembler a) {
        a.ldx(8, R1, R10, Frame.IFINDEX)
                .stx(4, R7, EventLayout.IFINDEX, R1)
                .ldx(8, R1, R10, Frame.SKB_LENGTH)
                .stx(4, R7, EventLayout.SKB_LENGTH, R1)
                .ldx(8, R1, R10, Frame.NETNS_COOKIE)
                .stx(8, R7, EventLayout.NETNS_COOKIE, R1)
                .ldx(8, R1, R10, Frame.EXTRA)
                .stx(8, R7, EventLayout.EXTRA, R1);
    }

    private static void copyKey(Assembler a) {
        for (int i = 0; i < PacketKeyLayout.SIZE; i += 8) {
            a.ldx(8, R1, R10, Frame.KEY + i)
                    .stx(8, R7, EventLayout.KEY + i, R1);
        }
    }

    private static void submit(Assembler a) {
        a.mov64(R1, R7)
                .mov64(R2, BPF_RB_NO_WAKEUP)
                .call(Helper.RINGBUF_SUBMIT);
    }

    private void countLost(Assembler a, int probeId, String prefix) {
        String skip = prefix + "nolost";
        a.st(4, R10, Frame.MAP_KEY, probeId)
                .mov64(R2, R10)
                .add64(R2, Frame.MAP_KEY)
                .ldMapFd(R1, lostEvents.fd().get())
                .call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, skip)
                .mov64(R1, 1)
                .atomicAdd(8, R0, 0, R1)
                .label(skip);
    }

    /**
     * Zeroes every frame slot and the key, so a prologue only writes what it knows. Clobbers R0
     * only: the context is still in R1 afterwards.
     */
    public static void clearFrame(Assembler a) {
        clearFrameSlots(a);
        for (int i = 0; i < PacketKeyLayout.SIZE; i += 8) {
            a.stx(8, R10, Frame.KEY + i, R0);
        }
    }

    /**
     * Zeroes every frame slot but not the key: for programs whose key comes from a
     * {@link io.vnettracer.probe.packet.KeyExtractor}, which zeroes it itself. Clobbers R0 only.
     */
    public static void clearFrameSlots(Assembler a) {
        a.mov64(R0, 0);
        for (int off = Frame.FLAGS; off <= Frame.TAG; off += 8) {
            a.stx(8, R10, off, R0);
        }
    }
}
