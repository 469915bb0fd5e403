package io.vnettracer.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.netns.NetNamespace;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Shell;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A lab whose switch is Open vSwitch on its userspace datapath, on the real kernel: up, traffic, status, down. */
class OvsLabTest {
    private static final String TOPOLOGY = """
            name: vlabo
            switch: {kind: ovs}
            vms:
              - {name: vm0, address: 10.213.120.80/24}
              - {name: vm1, address: 10.213.120.81/24}
              - {name: vm2, address: 10.213.120.82/24, shaping: {rate: 50mbit, burst: 32kb, latency: 20ms}}
            """;

    @TempDir
    Path stateDir;

    static void assumeOvs() {
        Root.assume();
        Assumptions.assumeTrue(OvsSwitch.installed(),
                "Open vSwitch is not installed (package openvswitch-switch; scripts/setup installs it): the OVS lab is not tested");
    }

    @Test
    void upRunsItsOwnOvsAndDownLeavesNothing() throws Exception {
        assumeOvs();
        Topology topology = TopologyFile.parse(TOPOLOGY, "vlabo.yaml");
        Lab lab = new Lab(stateDir, line -> {});
        Path runDir = OvsSwitch.runDirectory(stateDir, "vlabo");
        String sendBuffer = Sysctl.original(OvsSwitch.SEND_BUFFER_SYSCTL);
        try {
            lab.up(topology);
            LabState state = lab.state("vlabo").orElseThrow();
            assertEquals(List.of(runDir.toString()), state.directories());
            assertEquals(Integer.toString(OvsSwitch.SEND_BUFFER_BYTES), Sysctl.read(OvsSwitch.SEND_BUFFER_SYSCTL),
                    "ovs-vswitchd's packet sockets get send buffers that hold what a shaped port queues");
            assertEquals(sendBuffer, state.savedSysctls().get(OvsSwitch.SEND_BUFFER_SYSCTL), "the machine's value is recorded");
            assertEquals(List.of(OvsSwitch.DB_SERVER, OvsSwitch.VSWITCHD), state.daemons().stream().map(LabState.ProcessRecord::name).toList());
            try (NetNamespace sw = NetNamespace.named("vlabo-sw")) {
                for (LabState.ProcessRecord d : state.daemons()) {
                    assertTrue(LabProcesses.isRunning(d), d.name() + " runs");
                    assertEquals("net:[" + sw.inode() + "]", Files.readSymbolicLink(Path.of("/proc", Long.toString(d.pid()), "ns", "net")).toString(),
                            d.name() + " runs in the switch namespace, where its ports are");
                }
            }
            assertEquals(List.of(), Files.exists(Path.of("/var/run/openvswitch")) ? filesNamed("vlabo", Path.of("/var/run/openvswitch")) : List.of(),
                    "nothing of the lab in the host's OVS run directory");
            LabStatus status = lab.status("vlabo", Optional.empty());
            assertEquals(LabStatus.Health.UP, status.health(), status.toString());
            assertTrue(status.items().stream().anyMatch(i -> i.kind().equals("bridge") && i.detail().contains("datapath_type netdev, 3 ports")),
                    status.toString());
            assertTrue(status.items().stream().anyMatch(i -> i.kind().equals("port") && i.detail().equals("on vlabo-br (ovs) up")), status.toString());

            assertEquals(50, Datagrams.sendAndCount("vlabo-vm0", "vlabo-vm2", "10.213.120.82", 22222, 50), "vm0 reaches vm2 through OVS");
            assertEquals(50, Datagrams.sendAndCount("vlabo-vm2", "vlabo-vm1", "10.213.120.81", 22222, 50), "vm2 reaches vm1");
            assertTrue(Shell.run("tc", "-n", "vlabo-sw", "qdisc", "show", "dev", "vlabo-vm2-p").contains("qdisc tbf 1: root"),
                    "ovs-vswitchd left the lab's TBF on the port");
            long qdiscPacketsBefore = qdiscPackets();
            double bps = tcpThroughput(new VmCommands(topology, Path.of("/")));
            assertTrue(bps < 50e6 * 1.1 && bps > 50e6 * 0.3, "50 Mbit/s shaping on the OVS port, measured " + bps + " bit/s");
            assertTrue(qdiscPackets() - qdiscPacketsBefore > 1000, "what ovs-vswitchd sends to vm2 goes through the port's qdisc");

            long cpuTicks = cpuTicks(state.daemons().get(1).pid());
            Thread.sleep(1000);
            long idleTicks = cpuTicks(state.daemons().get(1).pid()) - cpuTicks;
            assertTrue(idleTicks < 10, "an idle ovs-vswitchd does not spin: " + idleTicks + " ticks of CPU in a second");

            lab.up(topology);
            assertEquals(state.daemons(), lab.state("vlabo").orElseThrow().daemons(), "a second up keeps the same daemons");
            assertEquals(LabStatus.Health.UP, lab.status("vlabo", Optional.empty()).health());

            LabDown.Report report = lab.down("vlabo", Optional.empty());
            assertEquals(List.of(), report.failed());
            LabLeftovers.assertNone("vlabo");
            assertEquals(sendBuffer, Sysctl.read(OvsSwitch.SEND_BUFFER_SYSCTL), "down puts the send buffer default back");
            assertEquals(List.of(), processesMentioning(runDir.toString()), "no OVS daemon left");
            assertFalse(Files.exists(runDir), "the run directory is removed");
            assertEquals(LabStatus.Health.ABSENT, lab.status("vlabo", Optional.of(topology)).health());
        } finally {
            lab.down("vlabo", Optional.of(topology));
        }
    }

    @Test
    void downWithoutTheStateFileStopsTheDaemonsByName() throws Exception {
        assumeOvs();
        Topology topology = TopologyFile.parse(TOPOLOGY, "vlabo.yaml");
        Lab lab = new Lab(stateDir, line -> {});
        Path runDir = OvsSwitch.runDirectory(stateDir, "vlabo");
        try {
            lab.up(topology);
            Files.delete(lab.store().fileOf("vlabo"));
            assertEquals(LabStatus.Health.PARTIAL, lab.status("vlabo", Optional.empty()).health());
            lab.down("vlabo", Optional.empty());
            LabLeftovers.assertNone("vlabo");
            assertEquals(List.of(), processesMentioning(runDir.toString()), "no OVS daemon left");
            assertFalse(Files.exists(runDir), "the run directory is removed by its name");
            assertFalse(Files.exists(Sysctl.ORIGINALS.resolve(OvsSwitch.SEND_BUFFER_SYSCTL)),
                    "the send buffer default is put back from the machine-wide record");
            assertEquals(LabStatus.Health.ABSENT, lab.status("vlabo", Optional.empty()).health());
        } finally {
            lab.down("vlabo", Optional.of(topology));
        }
    }

    @Test
    void aLinuxBridgeLabBecomesAnOvsLabAndBack() throws Exception {
        assumeOvs();
        Topology ovs = TopologyFile.parse(TOPOLOGY, "vlabo.yaml");
        Topology bridge = TopologyFile.parse(TOPOLOGY.replace("switch: {kind: ovs}\n", ""), "vlabo-bridge.yaml");
        Lab lab = new Lab(stateDir, line -> {});
        try {
            lab.up(bridge);
            lab.up(ovs);
            assertEquals(LabStatus.Health.UP, lab.status("vlabo", Optional.empty()).health());
            assertEquals(5, Datagrams.sendAndCount("vlabo-vm0", "vlabo-vm2", "10.213.120.82", 22222, 5), "through OVS");
            lab.up(bridge);
            assertEquals(LabStatus.Health.UP, lab.status("vlabo", Optional.empty()).health());
            assertEquals(List.of(), lab.state("vlabo").orElseThrow().daemons(), "the daemons are stopped");
            assertFalse(Files.exists(OvsSwitch.runDirectory(stateDir, "vlabo")));
            assertEquals(5, Datagrams.sendAndCount("vlabo-vm0", "vlabo-vm2", "10.213.120.82", 22222, 5), "through the bridge");
        } finally {
            lab.down("vlabo", Optional.of(ovs));
            LabLeftovers.assertNone("vlabo");
        }
    }

    /** TCP from vm0 to vm2 for a second, in bit/s as the receiver counted it. */
    private static double tcpThroughput(VmCommands vms) throws Exception {
        Process server = new ProcessBuilder(vms.inVm("vm2", null, List.of("iperf3", "-s", "-1", "-B", "10.213.120.82")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectErrorStream(true).start();
        try {
            Thread.sleep(200);
            String json = Shell.run(vms.inVm("vm0", null, List.of("iperf3", "-c", "10.213.120.82", "-t", "1", "-J"))
                    .toArray(String[]::new));
            Matcher m = Pattern.compile("\"sum_received\":\\s*\\{[^}]*\"bits_per_second\":\\s*([0-9.e+]+)").matcher(json);
            assertTrue(m.find(), json);
            return Double.parseDouble(m.group(1));
        } finally {
            server.destroyForcibly();
            server.waitFor();
        }
    }

    private static long qdiscPackets() {
        String stats = Shell.run("tc", "-n", "vlabo-sw", "-s", "qdisc", "show", "dev", "vlabo-vm2-p");
        Matcher m = Pattern.compile("Sent \\d+ bytes (\\d+) pkt").matcher(stats);
        assertTrue(m.find(), stats);
        return Long.parseLong(m.group(1));
    }

    /** utime + stime of a process (proc(5) stat fields 14 and 15), in clock ticks. */
    private static long cpuTicks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3]);
    }

    private static List<String> processesMentioning(String text) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                try {
                    String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    if (cmdline.contains(text)) {
                        found.add(p.getFileName() + " " + cmdline);
                    }
                } catch (IOException gone) {
                    // exited meanwhile
                }
            }
        }
        return found;
    }

    private static List<String> filesNamed(String part, Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.contains(part)).toList();
        }
    }
}
