package io.vnettracer.session;

import io.vnettracer.bpf.link.Link;
import io.vnettracer.bpf.link.tc.TcLegacyLink;
import io.vnettracer.bpf.map.ProgramArray;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.prog.ProgramSpec;
import io.vnettracer.probe.program.HookChain;
import io.vnettracer.probe.program.HookDispatcher;
import io.vnettracer.probe.program.ProbeProgram;
import io.vnettracer.probe.program.ProbeScope;
import io.vnettracer.probe.spec.ProbeSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * The device hooks of a session, each with one dispatcher attached the first time a probe goes
 * there and kept until the session closes (so a later probe on the hook is a map update, however
 * many come and go; at most {@link HookDispatcher#SLOTS} at a time). A hook is an interface (by namespace cookie and index: a re-created interface
 * is a new hook) and a direction.
 */
final class DeviceHooks implements AutoCloseable {
    /**
     * Equality written out: a record's generated equals is linked on its first call, which in a
     * fresh trace is the first add to a hook that has its dispatcher, and cost that add 10-20 ms.
     */
    private record Key(long netnsCookie, int ifindex, ProbeSpec.Direction direction) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.netnsCookie == netnsCookie && k.ifindex == ifindex && k.direction == direction;
        }

        @Override
        public int hashCode() {
            return (Long.hashCode(netnsCookie) * 31 + ifindex) * 31 + direction.ordinal();
        }
    }

    private final Map<Key, DeviceHook> hooks = new LinkedHashMap<>();
    private final BooleanSupplier legacyTc;
    private final Runnable beforeFirstTcFilter;
    private final Function<ProbeProgram, ProgramSpec> loadable;

    /**
     * @param legacyTc attach dispatchers as tc filters (no TCX on this kernel, or told so)
     * @param beforeFirstTcFilter run before a dispatcher becomes a tc filter (the sweep of dead tracers' filters)
     * @param loadable the spec a probe's program is loaded with, which the dispatcher's must match
     */
    DeviceHooks(BooleanSupplier legacyTc, Runnable beforeFirstTcFilter, Function<ProbeProgram, ProgramSpec> loadable) {
        this.legacyTc = legacyTc;
        this.beforeFirstTcFilter = beforeFirstTcFilter;
        this.loadable = loadable;
    }

    /** A slot on {@code d}'s hook, attaching the hook's dispatcher first if it has none. */
    synchronized HookSlot reserve(ProbeSpec.Device d, ProbeScope scope) {
        Key key = new Key(scope.netnsCookie(), scope.ifindex(), d.direction());
        DeviceHook hook = hooks.get(key);
        if (hook == null) {
            hook = attach(d);
            hooks.put(key, hook);
        }
        return hook.reserve();
    }

    private DeviceHook attach(ProbeSpec.Device d) {
        String where = d.text();
        String arrayName = d.direction() == ProbeSpec.Direction.INGRESS ? "vnt_hook_in" : "vnt_hook_eg";
        ProgramArray array = ProgramArray.create(arrayName, HookDispatcher.SLOTS);
        Program dispatcher = null;
        try {
            ProbeProgram pp = HookDispatcher.build(d.direction(),
                    HookChain.dispatcher(array.map().fd().get(), HookDispatcher.SLOTS));
            dispatcher = Program.load(loadable.apply(pp));
            if (legacyTc.getAsBoolean()) {
                beforeFirstTcFilter.run();
                TcLegacyLink filter = ProbeAttacher.attachLegacy(d, dispatcher, "dispatch-" + d.direction().word());
                return new DeviceHook(where, array, dispatcher, null, filter);
            }
            Link link = ProbeAttacher.attach(d, pp, dispatcher);
            return new DeviceHook(where, array, dispatcher, link, null);
        } catch (RuntimeException e) {
            if (dispatcher != null) {
                dispatcher.close();
            }
            array.close();
            throw new SessionException("attaching the dispatcher of " + where + ": " + e.getMessage(), e);
        }
    }

    /** Each hook's dispatcher as readable assembly, for --dump-programs. */
    synchronized String listings() {
        StringBuilder sb = new StringBuilder();
        for (DeviceHook hook : hooks.values()) {
            sb.append("; dispatcher of ").append(hook.where).append(" (").append(hook.array).append(")\n")
                    .append("; ").append(hook.dispatcher).append('\n')
                    .append(hook.dispatcher.listing());
        }
        return sb.toString();
    }

    /** Detaches every dispatcher; call once every probe's slot is cleared. */
    @Override
    public synchronized void close() {
        RuntimeException first = null;
        for (DeviceHook hook : hooks.values()) {
            try {
                hook.close();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        hooks.clear();
        if (first != null) {
            throw first;
        }
    }
}
