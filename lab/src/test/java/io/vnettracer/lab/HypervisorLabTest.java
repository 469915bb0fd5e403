package io.vnettracer.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hypervisor model on the real kernel: the VMs on the shared core run round robin, the slice
 * is set while the lab is up and put back by down, even when the lab's up was the last thing that
 * ran (a killed demo) and down comes from a later process with the state file.
 */
class HypervisorLabTest {
    private static final String SLICE = Hypervisor.RR_TIMESLICE_SYSCTL;

    @TempDir
    Path stateDir;

    @Test
    void vcpusOnTheSharedCoreTakeTurnsAndTheSliceIsPutBack() throws Exception {
        Root.assume();
        String before = Sysctl.read(SLICE);
        Topology topology = TopologyFile.parse("""
                name: vlabh
                hypervisor: {cores: [1], slice: 20ms}
                vms:
                  - {name: a, address: 10.213.121.10/24, cpu: 0}
                  - {name: b, address: 10.213.121.11/24, cpu: 1}
                  - {name: c, address: 10.213.121.12/24, cpu: 1}
                contention:
                  - {name: hog, cpu: 1, vm: c}
                """, "vlabh.yaml");
        Lab lab = new Lab(stateDir, line -> {});
        try {
            lab.up(topology);
            assertEquals("20", Sysctl.read(SLICE), "the slice is set while the lab is up");
            assertEquals(before, lab.state("vlabh").orElseThrow().savedSysctls().get(SLICE), "the value it replaced is recorded");
            lab.up(topology);
            assertEquals(before, lab.state("vlabh").orElseThrow().savedSysctls().get(SLICE),
                    "a second up keeps the original, not its own 20");
            assertEquals(LabStatus.Health.UP, lab.status("vlabh", Optional.empty()).health());

            LabState.ProcessRecord hog = lab.state("vlabh").orElseThrow().processes().getFirst();
            assertEquals("SCHED_RR 10", policyOf(hog.pid()), "the busy VM's vCPU is round robin");
            VmCommands vms = new VmCommands(topology, HostView.cgroupRoot());
            assertTrue(policyOfShellIn(vms, "b").contains("SCHED_RR"), "vm b on the shared core");
            assertTrue(policyOfShellIn(vms, "a").contains("SCHED_OTHER"), "vm a, core 0, not shared");

            lab.down("vlabh", Optional.empty());
            assertEquals(before, Sysctl.read(SLICE), "down puts the slice back");
            LabLeftovers.assertNone("vlabh");

            // A lab whose state file is gone (another state directory, a cleaned /run): down by name puts the
            // slice back from the machine-wide record of its value, which no other lab holds.
            lab.up(topology);
            Files.delete(lab.store().fileOf("vlabh"));
            lab.down("vlabh", Optional.of(topology));
            assertEquals(before, Sysctl.read(SLICE), "put back without the state file");
            // A lab killed before its down leaves the slice changed: the next lab keeps the machine's value.
            lab.up(topology);
            Files.delete(lab.store().fileOf("vlabh"));
            lab.up(topology);
            assertEquals(before, lab.state("vlabh").orElseThrow().savedSysctls().get(SLICE),
                    "the next lab records the machine's value, not the leftover");
            lab.down("vlabh", Optional.empty());
            assertEquals(before, Sysctl.read(SLICE), "and puts that back");
        } finally {
            lab.down("vlabh", Optional.of(topology));
            if (!Sysctl.read(SLICE).equals(before)) {
                Sysctl.write(SLICE, before);
            }
        }
    }

    private static String policyOf(long pid) throws Exception {
        // sched(7): field 41 of /proc/PID/stat is the policy (2 = SCHED_RR), field 40 the rt_priority.
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        int policy = Integer.parseInt(fields[41 - 3]);
        int priority = Integer.parseInt(fields[40 - 3]);
        return (policy == 2 ? "SCHED_RR" : "policy " + policy) + " " + priority;
    }

    /** What chrt says of a shell started in {@code vm}. */
    private static String policyOfShellIn(VmCommands vms, String vm) throws Exception {
        return Shell.run(vms.inVm(vm, null, List.of("sh", "-c", "chrt -p $$")).toArray(String[]::new));
    }
}
