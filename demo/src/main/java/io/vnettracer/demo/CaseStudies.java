package io.vnettracer.demo;

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

    /** A load: iperf3 from {@code fromVm} to {@code toVm} on {@code port}. */
    record Load(String fromVm, String toVm, int port) {}

    /**
     * One case: its lab, the loads running beside the measured sockperf flow, and optionally a
     * CPU-bound process on the server's core (null: none) at a nice value.
     */
    record Case(String id, String title, Topology topology, List<Load> loads, Hog hog) {
        Case(String id, String title, Topology topology, List<Load> loads) {
            this(id, title, topology, loads, null);
        }
    }

    /** A busy loop pinned to {@code cpu} in the server's VM, at {@code nice}. */
    record Hog(int cpu, int nice) {}

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
     * Congestion in the virtual switch: three VMs, the switch port toward vm2 rate-limited as a
     * physical link would be; sockperf vm0 -> vm2 alone, then beside one and two iperf3 TCP flows
     * into vm2.
     */
    static Study switchCongestion() {
        Topology t = topology("""
                name: vdemo
                vms:
                  - {name: vm0, address: 10.213.200.10/24}
                  - {name: vm1, address: 10.213.200.11/24}
                  - {name: vm2, address: 10.213.200.12/24, shaping: {rate: 50mbit, burst: 32kb, latency: 50ms}}
                """);
        return new Study("switch-congestion", "Congestion in the virtual switch",
                "sockperf ping-pong vm0 -> vm2 across a bridge whose port toward vm2 is shaped to 50 Mbit/s (TBF);"
                        + " Case II adds an iperf3 TCP flow vm0 -> vm2, Case III a second one vm1 -> vm2.",
                "vm0", "vm2", List.of(
                        new Case("I", "sockperf alone", t, List.of()),
                        new Case("II", "+ iperf3 vm0 -> vm2", t, List.of(new Load("vm0", "vm2", 5201))),
                        new Case("III", "+ iperf3 vm1 -> vm2", t,
                                List.of(new Load("vm0", "vm2", 5201), new Load("vm1", "vm2", 5202)))));
    }

    /**
     * Scheduling delay: the sockperf server in vm1 runs on CPU 1; in Case B a CPU-bound process is
     * pinned to the same core, so the server waits for the CPU before it can read. The hog runs at
     * a higher priority (nice -10), as a busy neighbour with more CPU shares would: at equal
     * priority the scheduler lets a waking server preempt it almost at once, and the delay shows
     * only now and then.
     */
    static Study schedulingDelay() {
        Topology vms = topology("""
                name: vdemo
                vms:
                  - {name: vm0, address: 10.213.200.10/24, cpu: 0}
                  - {name: vm1, address: 10.213.200.11/24, cpu: 1}
                """);
        return new Study("scheduling-delay", "Scheduling delay at the receiver",
                "sockperf ping-pong vm0 -> vm1 with the server pinned to CPU 1; Case B pins a CPU-bound process"
                        + " (nice -10) to the same core.",
                "vm0", "vm1", List.of(
                        new Case("A", "server alone on its core", vms, List.of()),
                        new Case("B", "+ a CPU hog on the server's core", vms, List.of(), new Hog(1, -10))));
    }

    private static Topology topology(String yaml) {
        return TopologyFile.parse(yaml, "the demo's built-in topology").validate();
    }
}
