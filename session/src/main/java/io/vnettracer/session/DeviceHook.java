package io.vnettracer.session;

import io.vnettracer.bpf.link.Link;
import io.vnettracer.bpf.link.tc.TcLegacyLink;
import io.vnettracer.bpf.map.ProgramArray;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.probe.program.HookChain;

/**
 * One device hook of a session (an interface's tc ingress or egress in one namespace): its program
 * array, its dispatcher and the dispatcher's attachment (a TCX link, or a tc filter where there is
 * no TCX), and which slots hold probes. Slots are given in attach order where there is room, so
 * probes on one hook run in the order they were added, as separate attachments did.
 */
final class DeviceHook implements AutoCloseable {
    final String where;
    final ProgramArray array;
    final Program dispatcher;
    private final Link link;
    private final TcLegacyLink legacy;
    private final boolean[] used;

    DeviceHook(String where, ProgramArray array, Program dispatcher, Link link, TcLegacyLink legacy) {
        this.where = where;
        this.array = array;
        this.dispatcher = dispatcher;
        this.link = link;
        this.legacy = legacy;
        this.used = new boolean[array.slots()];
    }

    /** A free slot: after the last one used if there is room, else the first free one. */
    synchronized HookSlot reserve() {
        int last = -1;
        for (int i = 0; i < used.length; i++) {
            if (used[i]) {
                last = i;
            }
        }
        int slot = last + 1 < used.length ? last + 1 : firstFree();
        if (slot < 0) {
            throw new SessionException(where + " already runs " + used.length + " probes, the most one hook chains;"
                    + " remove one of them first");
        }
        used[slot] = true;
        return new HookSlot(this, slot);
    }

    private int firstFree() {
        for (int i = 0; i < used.length; i++) {
            if (!used[i]) {
                return i;
            }
        }
        return -1;
    }

    synchronized void free(int slot) {
        used[slot] = false;
    }

    HookChain chainAt(int slot) {
        return new HookChain(array.map().fd().get(), slot, array.slots());
    }

    /** Detaches the dispatcher, then frees it and the array (whose probes the kernel then lets go). */
    @Override
    public void close() {
        try {
            if (link != null) {
                link.close();
            }
            if (legacy != null) {
                legacy.close();
            }
        } finally {
            dispatcher.close();
            array.close();
        }
    }
}
