package io.vnettracer.cli;

import io.vnettracer.bpf.features.Capability;
import io.vnettracer.bpf.features.Privileges;
import java.util.List;

/**
 * The guard every subcommand that loads or attaches programs runs first, so an unprivileged user
 * gets one clear sentence and exit code 2 instead of an EPERM from deep inside a load.
 */
public final class KernelPrivileges {
    /**
     * What loading and attaching needs: CAP_BPF for maps and programs, CAP_PERFMON for tracing
     * programs, CAP_NET_ADMIN for tc/XDP/cgroup attachment (see capabilities(7)).
     */
    static final List<Capability> FOR_KERNEL_COMMANDS =
            List.of(Capability.CAP_BPF, Capability.CAP_NET_ADMIN, Capability.CAP_PERFMON);

    private KernelPrivileges() {}

    /** Throws, to end {@code vnettracer <command>} with exit code 2, unless this process may use BPF. */
    public static void require(String command) {
        require(command, Privileges.ofCurrentProcess());
    }

    static void require(String command, Privileges privileges) {
        List<Capability> missing = privileges.missing(FOR_KERNEL_COMMANDS);
        if (!missing.isEmpty()) {
            throw new MissingPrivilegesException("vnettracer " + command
                    + " needs root (or CAP_BPF, CAP_NET_ADMIN and CAP_PERFMON): run it with sudo", missing);
        }
    }
}
