package io.vnettracer.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.netns.NetNamespace;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A three-vm lab on the real kernel: up, traffic through it, up again, down. */
class LabLifecycleTest {
    @TempDir
    Path stateDir;

    @Test
    void upBuildsTheTopologyAndDownRemovesIt() throws Exception {
        Root.assume();
        Topology topology = TopologyFile.parse(TopologyFileTest.example(), "vlab3.yaml");
        Lab lab = new Lab(stateDir, line -> {});
        Path cgroup = HostView.cgroupRoot().resolve("vlab-test");
        try {
            lab.up(topology);
            assertTrue(NetNamespace.list().containsAll(List.of("vlab-sw", "vlab-vm0", "vlab-vm1", "vlab-vm2")));
            String ports = Shell.run("ip", "-n", "vlab-sw", "-o", "link", "show", "master", "vlab-br");
            for (String port : List.of("vlab-vm0-p", "vlab-vm1-p", "vlab-vm2-p")) {
                assertTrue(ports.contains(port + "@"), port + " on the bridge: " + ports);
            }
            assertTrue(Shell.run("tc", "-n", "vlab-sw", "qdisc", "show", "dev", "vlab-vm2-p").contains("qdisc tbf"));
            assertTrue(Shell.run("ip", "netns", "exec", "vlab-vm1", "iptables", "-S", LabNames.LOSS_CHAIN)
                    .contains("-m statistic --mode random --probability 0.5"));
            LabState.ProcessRecord hog = lab.state("vlab").orElseThrow().processes().getFirst();
            assertTrue(Files.readString(Path.of("/proc", Long.toString(hog.pid()), "status")).contains("Cpus_allowed_list:\t1\n"));
            assertTrue(Files.readString(Path.of("/proc", Long.toString(hog.pid()), "cgroup")).contains("/vlab-test/vm0\n"),
                    "the hog runs in vm0's cgroup");
            assertEquals(LabStatus.Health.UP, lab.status("vlab", Optional.empty()).health());

            VmCommands vms = new VmCommands(topology, HostView.cgroupRoot());
            String inVm0 = Shell.run(vms.inVm("vm0", null, List.of("sh", "-c",
                    "grep Cpus_allowed_list /proc/self/status; cat /proc/self/cgroup; readlink /proc/self/ns/net")).toArray(String[]::new));
            assertTrue(inVm0.contains("Cpus_allowed_list:\t0\n"), inVm0);
            assertTrue(inVm0.contains("/vlab-test/vm0\n"), inVm0);
            try (NetNamespace vm0 = NetNamespace.named("vlab-vm0")) {
                assertTrue(inVm0.contains("net:[" + vm0.inode() + "]"), inVm0);
            }
            assertShapedBelowItsRate(vms);

            assertEquals(50, Datagrams.sendAndCount("vlab-vm0", "vlab-vm2", "10.213.120.12", 22222, 50), "vm0 reaches vm2");
            int received = Datagrams.sendAndCount("vlab-vm0", "vlab-vm1", "10.213.120.11", 11111, 200);
            assertTrue(received > 0 && received < 200, "half of vm1's input is lost: " + received + " of 200 came");
            assertEquals(200 - received, dropsCounted("vlab-vm1"), "the loss rule dropped the rest");

            lab.up(topology);
            assertEquals(LabStatus.Health.UP, lab.status("vlab", Optional.empty()).health());
            assertEquals(1, Shell.run("ip", "netns", "exec", "vlab-vm1", "iptables", "-S").lines()
                    .filter(l -> l.startsWith("-A " + LabNames.LOSS_CHAIN) || l.equals("-A INPUT -j " + LabNames.LOSS_CHAIN))
                    .filter(l -> l.startsWith("-A INPUT")).count(), "one jump into the loss chain");
            assertEquals(1, Shell.run("ip", "netns", "exec", "vlab-vm1", "iptables", "-S", LabNames.LOSS_CHAIN).lines()
                    .filter(l -> l.startsWith("-A ")).count(), "one loss rule");
            assertEquals(List.of(hog), lab.state("vlab").orElseThrow().processes(), "the same contention process");
            assertEquals(List.of(hog.pid()), LabProcesses.withArgumentStartingWith("vnettracer-lab-vlab-"));
            assertEquals(4, NetNamespace.list().stream().filter(ns -> ns.startsWith("vlab-")).count());

            LabDown.Report report = lab.down("vlab", Optional.empty());
            assertEquals(List.of(), report.failed());
            LabLeftovers.assertNone("vlab");
            assertFalse(Files.exists(cgroup.resolve("vm0")), "the vm's cgroup is removed");
            assertFalse(Files.exists(cgroup), "and its parent the lab created");
            assertFalse(Files.exists(lab.store().fileOf("vlab")), "the state file is removed");
            assertEquals(LabStatus.Health.ABSENT, lab.status("vlab", Optional.of(topology)).health());
        } finally {
            lab.down("vlab", Optional.of(topology));
        }
    }

    @Test
    void downWithoutTheStateFileRemovesEverythingByName() throws Exception {
        Root.assume();
        Topology topology = TopologyFile.parse("""
                name: vlabr
                switch: {namespace: root}
                vms:
                  - {name: a, address: 10.213.120.20/24, shaping: {qdisc: htb, rate: 20mbit}}
                  - {name: b, address: 10.213.120.21/24, loss: {probability: 0.1}}
                contention:
                  - {name: hog, cpu: 0}
                """, "root-switch.yaml");
        Lab lab = new Lab(stateDir, line -> {});
        try {
            lab.up(topology);
            assertTrue(Shell.run("ip", "-o", "link", "show", "master", "vlabr-br").contains("vlabr-a-p@"),
                    "the switch is in the root namespace");
            assertTrue(Shell.run("tc", "class", "show", "dev", "vlabr-a-p").contains("htb 1:1"));
            assertEquals(LabStatus.Health.UP, lab.status("vlabr", Optional.empty()).health());
            assertEquals(10, Datagrams.sendAndCount("vlabr-b", "vlabr-a", "10.213.120.20", 22222, 10), "b reaches a");

            Files.delete(lab.store().fileOf("vlabr"));
            assertEquals(LabStatus.Health.PARTIAL, lab.status("vlabr", Optional.empty()).health(),
                    "without the state file what carries the name is a leftover");
            lab.down("vlabr", Optional.empty());
            LabLeftovers.assertNone("vlabr");
            assertEquals(LabStatus.Health.ABSENT, lab.status("vlabr", Optional.empty()).health());
        } finally {
            lab.down("vlabr", Optional.of(topology));
        }
    }

    @Test
    void upBringsAnExistingLabToAChangedTopology() throws Exception {
        Root.assume();
        Topology before = TopologyFile.parse("""
                name: vlabu
                vms:
                  - {name: a, address: 10.213.120.60/24, shaping: {qdisc: htb, rate: 20mbit}}
                  - {name: b, address: 10.213.120.61/24, loss: {probability: 0.1}}
                  - {name: c, address: 10.213.120.62/24}
                contention:
                  - {name: hog, cpu: 0}
                """, "before.yaml");
        Topology after = TopologyFile.parse("""
                name: vlabu
                vms:
                  - {name: a, address: 10.213.120.70/24, shaping: {rate: 30mbit}}
                  - {name: b, address: 10.213.120.61/24}
                contention:
                  - {name: hog, cpu: 1}
                """, "after.yaml");
        Lab lab = new Lab(stateDir, line -> {});
        try {
            lab.up(before);
            long firstHog = lab.state("vlabu").orElseThrow().processes().getFirst().pid();
            lab.up(after);
            assertEquals(LabStatus.Health.UP, lab.status("vlabu", Optional.empty()).health());
            assertFalse(NetNamespace.list().contains("vlabu-c"), "the vm the topology dropped is removed");
            assertFalse(Shell.run("ip", "-n", "vlabu-sw", "-o", "link").contains("vlabu-c-p"));
            assertTrue(Shell.run("tc", "-n", "vlabu-sw", "qdisc", "show", "dev", "vlabu-a-p").contains("qdisc tbf 1: root"),
                    "htb replaced by tbf");
            assertTrue(Shell.run("ip", "-n", "vlabu-a", "-4", "-o", "addr", "show", "dev", "eth0").contains("10.213.120.70/24"));
            assertFalse(Shell.run("ip", "-n", "vlabu-a", "-4", "-o", "addr", "show", "dev", "eth0").contains("10.213.120.60"));
            assertFalse(Shell.run("ip", "netns", "exec", "vlabu-b", "iptables", "-S").contains(LabNames.LOSS_CHAIN), "loss removed");
            LabState.ProcessRecord hog = lab.state("vlabu").orElseThrow().processes().getFirst();
            assertEquals(1, hog.cpu());
            assertTrue(LabProcesses.startTime(firstHog).isEmpty(), "the hog on cpu 0 was stopped");
            assertEquals(List.of(hog.pid()), LabProcesses.withArgumentStartingWith("vnettracer-lab-vlabu-"));
            assertEquals(3, Datagrams.sendAndCount("vlabu-b", "vlabu-a", "10.213.120.70", 22222, 3), "b reaches a's new address");
            lab.down("vlabu", Optional.empty());
            LabLeftovers.assertNone("vlabu");
        } finally {
            lab.down("vlabu", Optional.of(after));
        }
    }

    /** TCP from vm0 to vm2 for a second: the TBF at 50 Mbit/s on vm2's port bounds what arrives. */
    private static void assertShapedBelowItsRate(VmCommands vms) throws Exception {
        Process server = new ProcessBuilder(vms.inVm("vm2", null, List.of("iperf3", "-s", "-1", "-B", "10.213.120.12")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        try {
            Thread.sleep(200);
            String json = Shell.run(vms.inVm("vm0", null, List.of("iperf3", "-c", "10.213.120.12", "-t", "1", "-J"))
                    .toArray(String[]::new));
            Matcher m = Pattern.compile("\"sum_received\":\\s*\\{[^}]*\"bits_per_second\":\\s*([0-9.e+]+)").matcher(json);
            assertTrue(m.find(), json);
            double bps = Double.parseDouble(m.group(1));
            assertTrue(bps < 50e6 * 1.1 && bps > 50e6 * 0.3, "50 Mbit/s shaping, measured " + bps + " bit/s");
        } finally {
            server.destroyForcibly();
            server.waitFor();
        }
    }

    private static long dropsCounted(String namespace) {
        String rules = Shell.run("ip", "netns", "exec", namespace, "iptables", "-L", LabNames.LOSS_CHAIN, "-v", "-x", "-n");
        Matcher m = Pattern.compile("(?m)^\\s*(\\d+)\\s+\\d+\\s+DROP").matcher(rules);
        assertTrue(m.find(), rules);
        return Long.parseLong(m.group(1));
    }
}
