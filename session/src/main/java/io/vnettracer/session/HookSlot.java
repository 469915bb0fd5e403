package io.vnettracer.session;

import io.vnettracer.bpf.prog.Program;
import io.vnettracer.probe.program.HookChain;

/**
 * A device probe's slot in its hook's program array. Putting a program in is the probe's attach
 * (and a filter change's swap); {@link #clear} is its detach. Both are one map update: no RCU grace
 * period to wait for, unlike attaching or detaching a TCX link.
 */
final class HookSlot {
    final DeviceHook hook;
    final int slot;
    private boolean released;

    HookSlot(DeviceHook hook, int slot) {
        this.hook = hook;
        this.slot = slot;
    }

    /** Where the probe's program runs and hands on to the next slot. */
    HookChain chain() {
        return hook.chainAt(slot);
    }

    /** Runs {@code program} on the hook's packets from now on, in place of the slot's program if it had one. */
    void install(Program program) {
        hook.array.set(slot, program);
    }

    /**
     * Empties the slot and gives it back to the hook; once only, so that a late call (the background
     * close of a removed probe) never empties a slot given to a later probe.
     */
    void clear() {
        synchronized (hook) {
            if (released) {
                return;
            }
            released = true;
            try {
                hook.array.clear(slot);
            } finally {
                hook.free(slot);
            }
        }
    }

    @Override
    public String toString() {
        return hook.where + " slot " + slot;
    }
}
