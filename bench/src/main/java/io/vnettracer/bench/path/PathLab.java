package io.vnettracer.bench.path;

import io.vnettracer.lab.Lab;
import io.vnettracer.lab.LabNames;
import io.vnettracer.lab.StateStore;
import io.vnettracer.lab.Topology;
import io.vnettracer.lab.TopologyFile;
import io.vnettracer.lab.VmCommands;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The measured path: namespace vm0 -> veth -> bridge (in its own namespace) -> veth -> namespace
 * vm1, no shaping, no cgroups, no pinning. The client runs in vm0, the servers in vm1.
 */
final class PathLab implements AutoCloseable {
    static final String NAME = "vbench";
    static final String CLIENT = "vm0";
    static final String SERVER = "vm1";
    static final String SERVER_IP = "10.213.210.11";
    static final String CLIENT_IP = "10.213.210.10";

    private static final String TOPOLOGY = """
            name: vbench
            vms:
              - {name: vm0, address: 10.213.210.10/24}
              - {name: vm1, address: 10.213.210.11/24}
            """;

    private final Lab lab = new Lab(StateStore.DEFAULT_DIR, line -> { });
    private final Topology topology = TopologyFile.parse(TOPOLOGY, "the path benchmark's topology").validate();
    private final VmCommands commands = new VmCommands(topology, Path.of("/sys/fs/cgroup"));
    private final AtomicBoolean down = new AtomicBoolean();
    /** Interrupting the benchmark (Ctrl-C) skips finally blocks but runs shutdown hooks: the lab goes down either way. */
    private final Thread downOnExit = new Thread(this::takeDown, "vbench-lab-down");

    /** Brings the lab up (from whatever state an earlier run left). */
    PathLab up() {
        Runtime.getRuntime().addShutdownHook(downOnExit);
        lab.up(topology);
        return this;
    }

    LabNames names() {
        return topology.names();
    }

    List<String> inVm(String vm, List<String> command) {
        return commands.inVm(vm, null, command);
    }

    @Override
    public void close() {
        takeDown();
        try {
            Runtime.getRuntime().removeShutdownHook(downOnExit);
        } catch (IllegalStateException | IllegalArgumentException e) {
            // already shutting down, or never registered: nothing to remove
        }
    }

    private void takeDown() {
        if (down.compareAndSet(false, true)) {
            BenchProcess.closeAll(); // a process left in a namespace would keep it alive after the lab is down
            lab.down(NAME, Optional.of(topology));
        }
    }
}
