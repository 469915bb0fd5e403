package io.vnettracer.session;

import io.vnettracer.bpf.features.MountTable;
import io.vnettracer.bpf.link.Link;
import io.vnettracer.bpf.link.TcxDirection;
import io.vnettracer.bpf.link.tc.TcDirection;
import io.vnettracer.bpf.link.tc.TcLegacyLink;
import io.vnettracer.bpf.netns.Interfaces;
import io.vnettracer.bpf.netns.NetNamespace;
import io.vnettracer.bpf.prog.AttachType;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.sys.NetnsCookie;
import io.vnettracer.probe.program.ProbeProgram;
import io.vnettracer.probe.program.ProbeScope;
import io.vnettracer.probe.spec.ProbeSpec;
import java.nio.file.Path;

/**
 * Resolves where a probe goes (namespace, interface, namespace cookie) and attaches its program
 * there. Interfaces are looked up inside their namespace; attaching happens on the calling thread
 * moved into that namespace for the duration of the call.
 */
final class ProbeAttacher {
    private ProbeAttacher() {}

    /** The constants a probe's program needs to know where it is; fails clearly for a missing namespace or interface. */
    static ProbeScope resolve(ProbeSpec spec) {
        return switch (spec) {
            // A tc program sits on its device: its namespace's cookie is written into each record as
            // a constant (no check needed); cookie, index and MTU are read in one visit.
            case ProbeSpec.Device d -> deviceScope(d);
            case ProbeSpec.Socket s -> new ProbeScope(cookieOf(s.namespace()), 0, 0);
            case ProbeSpec.Kernel k -> k.iface() == null
                    ? ProbeScope.ANYWHERE
                    : new ProbeScope(cookieOf(k.namespace()), ifindex(k.namespace(), k.iface()), 0);
            case ProbeSpec.Drops d -> d.namespace() == null ? ProbeScope.ANYWHERE : new ProbeScope(cookieOf(d.namespace()), 0, 0);
        };
    }

    private static ProbeScope deviceScope(ProbeSpec.Device d) {
        if (d.namespace() == null) {
            return new ProbeScope(NetnsCookie.current(), Interfaces.index(d.iface()), Interfaces.mtu(d.iface()));
        }
        try (NetNamespace ns = NetNamespace.named(d.namespace())) {
            // Interfaces.index(ns, ...) inside the namespace enters nothing more and names ns in its error.
            return ns.run(() -> new ProbeScope(NetnsCookie.current(), Interfaces.index(ns, d.iface()), Interfaces.mtu(d.iface())));
        }
    }

    /** Attaches a loaded program to its hook; the caller owns the link. */
    static Link attach(ProbeSpec spec, ProbeProgram probe, Program program) {
        return switch (probe.hook()) {
            case TRACEPOINT -> Link.tracing(program);
            case TCX_INGRESS, TCX_EGRESS -> {
                ProbeSpec.Device d = (ProbeSpec.Device) spec;
                TcxDirection direction = probe.hook() == ProbeProgram.Hook.TCX_INGRESS ? TcxDirection.INGRESS : TcxDirection.EGRESS;
                yield inNamespace(d.namespace(), () -> Link.tcx(program, Interfaces.index(d.iface()), direction));
            }
            case CGROUP_EGRESS -> Link.cgroup(program, rootCgroup(), AttachType.CGROUP_INET_EGRESS);
            case CGROUP_INGRESS -> Link.cgroup(program, rootCgroup(), AttachType.CGROUP_INET_INGRESS);
        };
    }

    private static int ifindex(String namespace, String iface) {
        if (namespace == null) {
            return Interfaces.index(iface);
        }
        try (NetNamespace ns = NetNamespace.named(namespace)) {
            return Interfaces.index(ns, iface);
        }
    }

    /**
     * A device probe as a tc clsact filter (kernels without TCX). Filters of tracers that died are
     * swept by the session before its first such attach (TcLegacyLink.sweepStale).
     */
    static TcLegacyLink attachLegacy(ProbeSpec.Device d, Program program, String probeName) {
        TcDirection direction = d.direction() == ProbeSpec.Direction.INGRESS ? TcDirection.INGRESS : TcDirection.EGRESS;
        return inNamespace(d.namespace(), () -> TcLegacyLink.attach(program, d.iface(), direction, probeName));
    }

    static long cookieOf(String namespace) {
        return inNamespace(namespace, NetnsCookie::current);
    }

    static Path rootCgroup() {
        return MountTable.ofCurrentProcess().firstOfType("cgroup2")
                .map(m -> Path.of(m.mountPoint()))
                .orElseThrow(() -> new SessionException("socket probes need the cgroup v2 hierarchy mounted"
                        + " (mount -t cgroup2 none /sys/fs/cgroup/unified)"));
    }

    private interface InNamespace<T> {
        T call();
    }

    private static <T> T inNamespace(String namespace, InNamespace<T> action) {
        if (namespace == null) {
            return action.call();
        }
        try (NetNamespace ns = NetNamespace.named(namespace)) {
            return ns.run(action::call);
        }
    }
}
