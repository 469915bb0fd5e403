package io.vnettracer.diagnose;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Shell;
import io.vnettracer.journey.diagnosis.CpuWaitEvidence;
import io.vnettracer.journey.diagnosis.Evidence;
import io.vnettracer.journey.diagnosis.QueueEvidence;
import io.vnettracer.probe.script.IdentityMode;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.probe.script.TracingScript;
import io.vnettracer.probe.spec.ProbeSpecParser;
import io.vnettracer.probe.testing.BridgedNamespaces;
import io.vnettracer.probe.testing.UdpTraffic;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The evidence on the real kernel: a shaped port's queue, and a namespace's tasks waiting behind a busy one. */
class EvidenceCollectorTest {
    @BeforeEach
    void root() {
        Root.assume();
    }

    private static TracingScript script(String... namesAndSpecs) {
        List<ProbeDefinition> probes = new java.util.ArrayList<>();
        for (int i = 0; i < namesAndSpecs.length; i += 2) {
            probes.add(ProbeDefinition.recording(namesAndSpecs[i], ProbeSpecParser.parse(namesAndSpecs[i + 1])));
        }
        return new TracingScript(probes, "", IdentityMode.FINGERPRINT);
    }

    @Test
    void aShapedPortShowsItsQueue() throws Exception {
        try (BridgedNamespaces net = new BridgedNamespaces("vevq", 104)) {
            Shell.run("tc", "-n", net.bridgeNamespace, "qdisc", "add", "dev", net.bPort, "root", "tbf",
                    "rate", "1mbit", "burst", "4kb", "latency", "2s");
            Evidence evidence;
            // ~2.3 Mbit/s of datagrams into 1 Mbit/s for 1.5 s: a queue that grows the whole time.
            UdpTraffic traffic = new UdpTraffic(1_200, 3);
            try (EvidenceCollector collector = EvidenceCollector.start(script(
                    "br_out", "dev:" + net.bridgeNamespace + "/" + net.bPort + ":egress"))) {
                traffic.run(net.a, net.b, net.bAddress, 40750, 800);
                evidence = collector.finish();
                assertEquals(List.of(), collector.problems());
            }
            assertEquals(1, evidence.queues().size(), evidence.toString());
            QueueEvidence q = evidence.queues().getFirst();
            assertEquals("tbf", q.qdisc());
            assertEquals("br_out", q.probe());
            assertTrue(q.samples() >= 10, "sampled every 100 ms: " + q);
            assertTrue(q.meanBacklogPackets() > 10 && q.maxBacklogPackets() > q.meanBacklogPackets(), "a growing queue: " + q);
            assertTrue(q.sentPackets() > 0 && q.overlimits() > 0, "packets held back over the rate: " + q);
            assertTrue(q.meanDelayNs() > 50_000_000, "packets waited tens of ms or more: " + q.meanDelayNs() + " ns, " + q);
        }
    }

    @Test
    void tasksOfTheNamespaceWaitBehindABusyLoopOnTheirCore() throws Exception {
        try (BridgedNamespaces net = new BridgedNamespaces("vevc", 105)) {
            Evidence evidence;
            Process sleeper = null;
            Process hog = null;
            try (EvidenceCollector collector = EvidenceCollector.start(script("rx", "sock:" + net.b + ":recv"))) {
                // Both round robin on core 1: the sleeper, waking every millisecond, waits for the busy loop's slice to end.
                hog = new ProcessBuilder("chrt", "--rr", "10", "taskset", "-c", "1", "bash", "-c", "while :; do :; done").start();
                sleeper = new ProcessBuilder("ip", "netns", "exec", net.b, "chrt", "--rr", "10", "taskset", "-c", "1",
                        "bash", "-c", "for i in $(seq 2000); do sleep 0.001; done").start();
                Thread.sleep(1500);
                evidence = collector.finish();
                assertEquals(List.of(), collector.problems());
            } finally {
                for (Process p : new Process[] {hog, sleeper}) {
                    if (p != null) {
                        p.descendants().forEach(ProcessHandle::destroyForcibly);
                        p.destroyForcibly().waitFor();
                    }
                }
            }
            assertEquals(1, evidence.cpuWaits().size(), evidence.toString());
            CpuWaitEvidence c = evidence.cpuWaits().getFirst();
            assertEquals(net.b, c.namespace());
            assertTrue(c.waits() > 0, "the namespace's tasks waited: " + c);
            CpuWaitEvidence.Holder top = c.holders().getFirst();
            assertEquals("bash", top.comm(), "the busy loop held the CPU most: " + c);
            assertEquals(hog.pid(), top.tgid(), "the busy loop's pid: " + c);
            assertTrue(c.meanWaitNs() > 1_000_000, "waits of a round-robin slice, not of a wake-up: " + c.meanWaitNs() + " ns, " + c);
        }
    }
}
