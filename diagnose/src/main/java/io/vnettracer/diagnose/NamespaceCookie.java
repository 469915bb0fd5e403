package io.vnettracer.diagnose;

import io.vnettracer.bpf.netns.NetNamespace;
import io.vnettracer.bpf.sys.NetnsCookie;

/** The cookie of a named network namespace (null: the tracer's own), as BPF programs see it. */
final class NamespaceCookie {
    private NamespaceCookie() {}

    static long of(String namespace) {
        if (namespace == null) {
            return NetnsCookie.current();
        }
        try (NetNamespace ns = NetNamespace.named(namespace)) {
            return ns.run(NetnsCookie::current);
        }
    }
}
