package io.vnettracer.lab;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Command lines that run a program "in a VM": inside its network namespace, in its cgroup (if it
 * has one), pinned to its cpu (if it has one) and, on a core the lab's {@link Hypervisor} shares,
 * scheduled as that hypervisor's vCPUs are. The lab's contention uses them; so can
 * workloads ({@code sockperf}, {@code iperf3}) started by a demo.
 */
public final class VmCommands {
    /** Moves the shell into the cgroup given as $1, then execs the rest of its arguments. */
    private static final String JOIN_CGROUP = "echo $$ > \"$1\" && shift && exec \"$@\"";

    private final Topology topology;
    private final Path cgroupRoot;

    public VmCommands(Topology topology, Path cgroupRoot) {
        this.topology = topology;
        this.cgroupRoot = cgroupRoot;
    }

    /** {@code command} run in {@code vm}, pinned to {@code cpu} (null: the vm's own cpu, if any). */
    public List<String> inVm(String vm, Integer cpu, List<String> command) {
        VmSpec spec = topology.vm(vm).orElseThrow(() -> new LabException(
                "lab " + topology.name() + " has no vm '" + vm + "'; its vms are "
                        + topology.vms().stream().map(VmSpec::name).toList()));
        List<String> argv = new ArrayList<>();
        if (spec.cgroup() != null) {
            // Before 'ip netns exec', which mounts a fresh /sys and so hides the cgroup mounts below it.
            argv.addAll(List.of("sh", "-c", JOIN_CGROUP, "vnettracer-join-cgroup",
                    cgroupRoot.resolve(spec.cgroup()).resolve("cgroup.procs").toString()));
        }
        argv.addAll(List.of("ip", "netns", "exec", topology.names().vmNamespace(vm)));
        Integer pin = cpu != null ? cpu : spec.cpu();
        Hypervisor hypervisor = topology.hypervisor();
        if (hypervisor != null && hypervisor.schedules(pin)) {
            // A vCPU on a shared core: round robin at the hypervisor's priority (Hypervisor explains why).
            argv.addAll(List.of("chrt", "--rr", Integer.toString(hypervisor.priorityOrDefault())));
        }
        argv.addAll(pinned(pin, command));
        return argv;
    }

    /** {@code command} pinned to {@code cpu} (null: not pinned), in the caller's namespace. */
    public static List<String> pinned(Integer cpu, List<String> command) {
        List<String> argv = new ArrayList<>();
        if (cpu != null) {
            argv.addAll(List.of("taskset", "-c", Integer.toString(cpu)));
        }
        argv.addAll(command);
        return argv;
    }
}
