package io.vnettracer.probe.program;

import static io.vnettracer.bpf.asm.Reg.*;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Helper;
import io.vnettracer.bpf.asm.Opcode;
import io.vnettracer.bpf.map.BpfMap;
import io.vnettracer.event.EventLayout;
import io.vnettracer.probe.codegen.Frame;
import io.vnettracer.probe.program.UdpPairingMaps.Counter;

/**
 * Pairs UDP reads with the datagrams they take, in the kernel, so that the socket receive probe
 * writes one event per datagram read instead of two (docs/BENCHMARKS.md, "Where the small-packet
 * rate goes").
 *
 * <p>Why a queue and not the skb: no hook this tracer can use at the read sees the datagram. The
 * read's tracepoint ({@code sock_recv_length}) names only the socket; the one at the copy
 * ({@code skb_copy_datagram_iovec}) is skipped for linear datagrams, the common case; fexit on
 * {@code __skb_recv_udp} would see it, but fentry/fexit are not available everywhere (refused
 * with EPERM on the development kernel, docs/BPF.md). A socket's queue is first in, first out, so
 * the n-th read of a socket takes the n-th datagram queued on it: each datagram's sighting at its
 * arrival (the frame from the key to the tag) is kept under (probe, socket cookie, position); a
 * read takes the socket's head position and writes that sighting, stamped with the read's time.
 *
 * <p>A datagram the socket refuses (receive buffer full) is taken back: the refusal comes on the
 * CPU that queued it, right after (the receive path runs with bottom halves off), so a per-CPU
 * note of the datagram last queued names it. Its entry becomes a tombstone ({@link
 * UdpPairingMaps#TOMBSTONE}: no datagram here), and if nothing was queued on the socket since, the
 * tail moves back over it (compare-and-exchange; the next arrival overwrites it). A read steps over
 * tombstones (at most {@link #SKIP} in a row). A position with no entry at all is a datagram whose
 * sighting could not be kept (the queue map full, {@link Counter#NOT_STORED}): the read took that
 * datagram, so it moves the head by one and writes nothing ({@link Counter#MISSING}, reported as
 * a shortfall of the probe like a ring-buffer loss) instead of naming the next datagram, which
 * would shift every later read of the socket by one.
 *
 * <p>Register contract: clobbers R0-R5, R7 and R8; the read keeps the socket state in R6.
 */
final class UdpReadPairing {
    /** Empty positions a read steps over before it gives up (and counts an unpaired read). */
    static final int SKIP = 4;
    /** Where a kept sighting holds the frame's flags word. */
    private static final int FLAGS_IN_SIGHTING = Frame.FLAGS - Frame.SIGHTING;

    private final UdpPairingMaps maps;

    UdpReadPairing(UdpPairingMaps maps) {
        this.maps = maps;
    }

    /**
     * At the arrival (the frame filled, {@link Frame#EXTRA} the socket cookie): keeps the sighting
     * at the socket's tail position and notes it as this CPU's last. Goes to {@code out} only if the
     * socket's state cannot be had.
     */
    void queue(Assembler a, int probeId, String out) {
        String found = "pq" + a.position() + "_found";
        String stored = "pq" + a.position() + "_stored";
        pairingKey(a, probeId);
        lookup(a, maps.sockets());
        a.jne(R0, 0, found)
                .st(8, R10, Frame.PAIRING_SOCKET + UdpPairingMaps.TAIL, 0)
                .st(8, R10, Frame.PAIRING_SOCKET + UdpPairingMaps.HEAD, 0)
                .ldMapFd(R1, maps.sockets().fd().get())
                .mov64(R2, R10).add64(R2, Frame.PAIRING_KEY)
                .mov64(R3, R10).add64(R3, Frame.PAIRING_SOCKET)
                .mov64(R4, (int) BpfMap.BPF_NOEXIST)
                .call(Helper.MAP_UPDATE_ELEM);
        lookup(a, maps.sockets());
        a.jeq(R0, 0, out)
                .label(found)
                .mov64(R1, 1)
                .atomicFetchAdd(8, R0, UdpPairingMaps.TAIL, R1)
                .stx(8, R10, Frame.PAIRING_KEY + 16, R1)
                // The arrival time follows the sighting (UdpPairingMaps.ARRIVAL).
                .call(Helper.KTIME_GET_NS)
                .stx(8, R10, Frame.MAP_KEY, R0)
                .ldMapFd(R1, maps.queued().fd().get())
                .mov64(R2, R10).add64(R2, Frame.PAIRING_KEY)
                .mov64(R3, R10).add64(R3, Frame.SIGHTING)
                .mov64(R4, (int) BpfMap.BPF_ANY)
                .call(Helper.MAP_UPDATE_ELEM)
                .jeq(R0, 0, stored);
        count(a, probeId, Counter.NOT_STORED);
        // No stale tombstone may stay at this position: a read must see the hole (a datagram).
        a.ldMapFd(R1, maps.queued().fd().get())
                .mov64(R2, R10).add64(R2, Frame.PAIRING_KEY)
                .call(Helper.MAP_DELETE_ELEM)
                .label(stored);
        lastOfThisCpu(a, probeId, out);
        a.ldx(8, R1, R10, Frame.PAIRING_KEY + 8)
                .stx(8, R0, UdpPairingMaps.LAST_COOKIE, R1)
                .ldx(8, R1, R10, Frame.PAIRING_KEY + 16)
                .stx(8, R0, UdpPairingMaps.LAST_POSITION, R1);
    }

    /**
     * At a read ({@link Frame#EXTRA} the socket cookie): takes the sighting at the socket's head
     * into the frame and falls through, or goes to {@code out} (counted) when there is none or the
     * filter had rejected the datagram.
     */
    void read(Assembler a, int probeId, String out) {
        String prefix = "pr" + a.position() + "_";
        String unpaired = prefix + "unpaired";
        String found = prefix + "found";
        String missing = prefix + "missing";
        pairingKey(a, probeId);
        lookup(a, maps.sockets());
        a.jeq(R0, 0, unpaired)
                .mov64(R6, R0)
                .ldx(8, R1, R6, UdpPairingMaps.HEAD)
                .stx(8, R10, Frame.PAIRING_KEY + 16, R1);
        for (int i = 0; i < SKIP; i++) {
            String live = prefix + "live" + i;
            a.ldx(8, R1, R10, Frame.PAIRING_KEY + 16)
                    .ldx(8, R2, R6, UdpPairingMaps.TAIL)
                    .jge(R1, R2, unpaired);
            lookup(a, maps.queued());
            a.jeq(R0, 0, missing)
                    .ldx(8, R1, R0, FLAGS_IN_SIGHTING)
                    .jset(R1, UdpPairingMaps.TOMBSTONE, live)
                    .ja(found)
                    .label(live)
                    // A refused datagram's tombstone: no datagram here; step over it.
                    .ldMapFd(R1, maps.queued().fd().get())
                    .mov64(R2, R10).add64(R2, Frame.PAIRING_KEY)
                    .call(Helper.MAP_DELETE_ELEM)
                    .ldx(8, R1, R10, Frame.PAIRING_KEY + 16)
                    .add64(R1, 1)
                    .stx(8, R10, Frame.PAIRING_KEY + 16, R1)
                    .stx(8, R6, UdpPairingMaps.HEAD, R1);
        }
        a.ja(unpaired).label(found);
        for (int off = 0; off < Frame.SIGHTING_SIZE; off += 8) {
            a.ldx(8, R1, R0, off).stx(8, R10, Frame.SIGHTING + off, R1);
        }
        a.ldx(8, R7, R0, UdpPairingMaps.ARRIVAL)
                .ldx(8, R1, R10, Frame.PAIRING_KEY + 16)
                .add64(R1, 1)
                .stx(8, R6, UdpPairingMaps.HEAD, R1)
                .ldMapFd(R1, maps.queued().fd().get())
                .mov64(R2, R10).add64(R2, Frame.PAIRING_KEY)
                .call(Helper.MAP_DELETE_ELEM);
        longestWait(a, probeId);
        a.ldx(8, R1, R10, Frame.FLAGS)
                .jset(R1, EventLayout.FLAG_FILTERED_OUT, prefix + "filtered");
        count(a, probeId, Counter.PAIRED);
        a.ja(prefix + "done").label(prefix + "filtered");
        count(a, probeId, Counter.FILTERED_OUT);
        a.ja(out).label(missing);
        // This read took the datagram whose sighting was not kept: nothing to write, and the next
        // read must take the next position, not this read's datagram's successor's.
        count(a, probeId, Counter.MISSING);
        a.ldx(8, R1, R10, Frame.PAIRING_KEY + 16)
                .add64(R1, 1)
                .stx(8, R6, UdpPairingMaps.HEAD, R1)
                .ja(out)
                .label(unpaired);
        count(a, probeId, Counter.UNPAIRED_READS);
        a.ja(out).label(prefix + "done");
    }

    /**
     * At a refusal ({@link Frame#EXTRA} the socket cookie): takes this CPU's last queued datagram
     * back if it was queued on this socket, moving the tail back over it when nothing came after.
     */
    void refuse(Assembler a, int probeId, String out) {
        String prefix = "pf" + a.position() + "_";
        String unmatched = prefix + "unmatched";
        String marked = prefix + "marked";
        lastOfThisCpu(a, probeId, out);
        a.ldx(8, R1, R0, UdpPairingMaps.LAST_COOKIE)
                .ldx(8, R2, R10, Frame.EXTRA)
                .jne(R1, R2, unmatched)
                .ldx(8, R1, R0, UdpPairingMaps.LAST_POSITION)
                .st(8, R0, UdpPairingMaps.LAST_COOKIE, 0);
        pairingKey(a, probeId);
        a.stx(8, R10, Frame.PAIRING_KEY + 16, R1);
        lookup(a, maps.queued());
        a.jeq(R0, 0, prefix + "absent")
                .ldx(8, R1, R0, FLAGS_IN_SIGHTING)
                .or64(R1, UdpPairingMaps.TOMBSTONE)
                .stx(8, R0, FLAGS_IN_SIGHTING, R1)
                .ja(marked)
                .label(prefix + "absent")
                // Its sighting was not kept (map full): leave a tombstone, so no read takes the
                // hole for a datagram.
                .st(8, R10, Frame.FLAGS, UdpPairingMaps.TOMBSTONE)
                .st(8, R10, Frame.MAP_KEY, 0)
                .ldMapFd(R1, maps.queued().fd().get())
                .mov64(R2, R10).add64(R2, Frame.PAIRING_KEY)
                .mov64(R3, R10).add64(R3, Frame.SIGHTING)
                .mov64(R4, (int) BpfMap.BPF_ANY)
                .call(Helper.MAP_UPDATE_ELEM)
                .label(marked);
        count(a, probeId, Counter.REFUSED);
        lookup(a, maps.sockets());
        a.jeq(R0, 0, out)
                .mov64(R3, R0)
                .ldx(8, R2, R10, Frame.PAIRING_KEY + 16)
                .mov64(R0, R2)
                .add64(R0, 1)
                // tail == position + 1 (nothing queued since)? then tail = position, and the next
                // arrival overwrites the tombstone.
                .atomic(8, Opcode.BPF_CMPXCHG, R3, UdpPairingMaps.TAIL, R2)
                .ja(out)
                .label(unmatched);
        count(a, probeId, Counter.UNMATCHED_REFUSALS);
    }

    /**
     * The probe's longest wait so far (per CPU) = max(it, now - R7, the datagram's arrival time):
     * how far back a shortfall at a read reaches ({@link UdpPairingMaps#maxReadLag}). Clobbers
     * R0-R5 and R7.
     */
    private void longestWait(Assembler a, int probeId) {
        String skip = "pw" + a.position() + "_skip";
        a.call(Helper.KTIME_GET_NS)
                .sub64(R0, R7)
                .mov64(R7, R0)
                .st(4, R10, Frame.MAP_KEY, probeId)
                .ldMapFd(R1, maps.lags().fd().get())
                .mov64(R2, R10).add64(R2, Frame.MAP_KEY)
                .call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, skip)
                .ldx(8, R1, R0, 0)
                .jge(R1, R7, skip)
                .stx(8, R0, 0, R7)
                .label(skip);
    }

    /** The first 16 bytes of the pairing key: probe id, socket cookie (from {@link Frame#EXTRA}). */
    private static void pairingKey(Assembler a, int probeId) {
        a.st(4, R10, Frame.PAIRING_KEY, probeId)
                .st(4, R10, Frame.PAIRING_KEY + 4, 0)
                .ldx(8, R5, R10, Frame.EXTRA)
                .stx(8, R10, Frame.PAIRING_KEY + 8, R5);
    }

    /** R0 = the value of the pairing key in {@code map}, or 0. */
    private static void lookup(Assembler a, BpfMap map) {
        a.ldMapFd(R1, map.fd().get())
                .mov64(R2, R10).add64(R2, Frame.PAIRING_KEY)
                .call(Helper.MAP_LOOKUP_ELEM);
    }

    /** R0 = this CPU's note of the probe's last queued datagram; to {@code out} if none. */
    private void lastOfThisCpu(Assembler a, int probeId, String out) {
        a.st(4, R10, Frame.MAP_KEY, probeId)
                .ldMapFd(R1, maps.last().fd().get())
                .mov64(R2, R10).add64(R2, Frame.MAP_KEY)
                .call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, out);
    }

    private void count(Assembler a, int probeId, Counter c) {
        String skip = "pc" + a.position() + "_skip";
        a.st(4, R10, Frame.MAP_KEY, UdpPairingMaps.index(probeId, c))
                .ldMapFd(R1, maps.counters().fd().get())
                .mov64(R2, R10).add64(R2, Frame.MAP_KEY)
                .call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, skip)
                .ldx(8, R1, R0, 0)
                .add64(R1, 1)
                .stx(8, R0, 0, R1)
                .label(skip);
    }
}
