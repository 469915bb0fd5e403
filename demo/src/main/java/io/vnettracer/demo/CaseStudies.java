package io.vnettracer.demo;

import io.vnettracer.lab.SwitchSpec;
import io.vnettracer.lab.Topology;
import io.vnettracer.lab.TopologyFile;
import java.util.List;

/**
 * The paper's two case studies as lab topologies and workloads (docs/DEMO.md). One lab, {@value
 * #LAB}, is brought up per case; {@code lab up} is idempotent, so a case only changes what differs.
 */
final class CaseStudies {
    static final String LAB = "vdemo";
    static final String SUBNET = "10.213.200.";
    static final int SOCKPERF_PORT = 11111;
    /**
     * The hypervisor model's time slice in the scheduling study: a hypervisor's order of magnitude
     * (Xen's credit scheduler: 30 ms by default; credit2 limits a vCPU's run to 1 ms or more), short
     * enough that a few seconds hold hundreds of round trips. A multiple of the tick in effect.
     */
    static final String VCPU_SLICE = "10ms";

    /** A load: iperf3 from {@code fromVm} to {@code toVm} on {@code port}. */
    record Load(String fromVm, String toVm, int port) {}

    /** One case: its lab (contention included) and the loads running beside the measured sockperf flow. */
    record Case(String id, String title, Topology topology, List<Load> loads) {}

    /** A study: sockperf from client to server through the switch, traced, under each case. */
    record Study(String id, String title, String description, String clientVm, String serverVm, List<Case> cases) {}

    private CaseStudies() {}

    static String address(int host) {
        return SUBNET + host;
    }

    static List<Study> all() {
        return List.of(switchCongestion(), schedulingDelay());
    }

    /**
     * The studies to run on a switch of {@code switchKind} (SwitchSpec's kinds). On Open vSwitch,
     * the switch congestion study alone: it is the one about the switch, and the scheduling study's
     * shared core would also be where the unpinned ovs-vswitchd forwards the packets.
     */
    static List<Study> on(String switchKind) {
        return switchKind.equals(SwitchSpec.OVS) ? List.of(switchCongestion(SwitchSpec.OVS)) : all();
    }

    /**
     * Congestion in the virtual switch: three VMs, the switch port toward vm2 rate-limited as a
     * physical link would be; sockperf vm0 -> vm2 alone, then beside one and two iperf3 TCP flows
     * into vm2.
     */
    static Study switchCongestion() {
        return switchCongestion(SwitchSpec.BRIDGE);
    }

    static Study switchCongestion(String switchKind) {
        boolean ovs = switchKind.equals(SwitchSpec.OVS);
        Topology t = topology("""
                name: vdemo
                switch: {kind: %s}
                vms:
                  - {name: vm0, address: 10.213.200.10/24}
                  - {name: vm1, address: 10.213.200.11/24}
                  - {name: vm2, address: 10.213.200.12/24, shaping: {rate: 50mbit, burst: 32kb, latency: 50ms}}
                """.formatted(switchKind));
        return new Study("switch-congestion", "Congestion in the virtual switch" + (ovs ? " (Open vSwitch)" : ""),
                "sockperf ping-pong vm0 -> vm2 across " + (ovs ? "an Open vSwitch bridge (userspace datapath)" : "a bridge")
                        + " whose port toward vm2 is shaped to 50 Mbit/s (TBF);"
                        + " Case II adds an iperf3 TCP flow vm0 -> vm2, Case III a second one vm1 -> vm2.",
                "vm0", "vm2", List.of(
                        new Case("I", "sockperf alone", t, List.of()),
                        new Case("II", "+ iperf3 vm0 -> vm2", t, List.of(new Load("vm0", "vm2", 5201))),
                        new Case("III", "+ iperf3 vm1 -> vm2", t,
                                List.of(new Load("vm0", "vm2", 5201), new Load("vm1", "vm2", 5202)))));
    }

    /**
     * Scheduling delay, in the paper's setting: two one-vCPU VMs pinned to the same physical core
     * under a hypervisor's scheduler. The lab's {@link io.vnettracer.lab.Hypervisor} model gives
     * the VMs on core 1 (the sockperf server's vm1 and an idle vm2) that core in round-robin slices
     * of {@value #VCPU_SLICE}, as a hypervisor hands vCPUs their time. Case A: the server's VM alone
     * (vm2 has nothing to run). Case B: vm2 runs a busy loop, so a request arriving for the server
     * waits until vm2's slice ends. The client, vm0, runs on core 0 as an ordinary task.
     */
    static Study schedulingDelay() {
        String vms = """
                name: vdemo
                hypervisor: {cores: [1], slice: %s}
                vms:
                  - {name: vm0, address: 10.213.200.10/24, cpu: 0}
                  - {name: vm1, address: 10.213.200.11/24, cpu: 1}
                  - {name: vm2, address: 10.213.200.12/24, cpu: 1}
                """.formatted(VCPU_SLICE);
        Topology alone = topology(vms);
        Topology shared = topology(vms + """
                contention:
                  - {name: hog, cpu: 1, vm: vm2}
                """);
        return new Study("scheduling-delay", "Scheduling delay at the receiver",
                "sockperf ping-pong vm0 -> vm1; vm1 and vm2 are one-vCPU VMs sharing core 1 in " + VCPU_SLICE
                        + " round-robin slices (a hypervisor's scheduler, modelled); Case B runs a busy loop in vm2.",
                "vm0", "vm1", List.of(
                        new Case("A", "server's VM alone on its core", alone, List.of()),
                        new Case("B", "+ a CPU-bound VM on the same core", shared, List.of())));
    }

    private static Topology topology(String yaml) {
        return TopologyFile.parse(yaml, "the demo's built-in topology").validate();
    }
}
