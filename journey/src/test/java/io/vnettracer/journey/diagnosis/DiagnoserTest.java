package io.vnettracer.journey.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.journey.FlowKey;
import io.vnettracer.journey.Summary;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The diagnosis of hand-made summaries: which segment, which cause, how much it explains. */
class DiagnoserTest {
    private static final FlowKey KEY = FlowKey.ipv4(17, 0x0a000001, 1000, 0x0a000002, 11111);
    private static final String FLOW = KEY.toString();

    private static Summary.Flow flow(long sent, long received) {
        return new Summary.Flow("udp", "10.0.0.1", 1000, "10.0.0.2", 11111, sent, received, sent - received, 0, 0, 0,
                sent * 100, received * 100, 0, 0, 0, new Summary.Latency(0, 0, 0, 0, 0, 0), KEY, List.of("tx", "sw_out", "rx_dev", "rx"));
    }

    private static Summary.Segment segment(String from, String to, long packets, long lost, double meanNs, double share) {
        return new Summary.Segment(FLOW, from, to, packets, lost, 0, 0, new Summary.SegmentLatency(meanNs, 0, 0), share,
                Summary.Segment.SAME_CLOCK);
    }

    private static Summary summary(Summary.Flow flow, List<Summary.Segment> segments, List<Summary.Drop> drops) {
        return new Summary(Summary.VERSION, List.of(), List.of(flow), segments, drops, 0, null, List.of(), List.of());
    }

    @Test
    void aQueueBehindTheEgressProbeExplainsTheSegmentItDominates() {
        Summary s = summary(flow(100, 100), List.of(
                segment("tx", "sw_out", 100, 0, 5_000, 0.01),
                segment("sw_out", "rx_dev", 100, 0, 15_000_000, 0.98),
                segment("rx_dev", "rx", 100, 0, 40_000, 0.01)), List.of());
        // 45 000 bytes queued on average, 3 MB sent per second: 15 ms each (Little's law).
        QueueEvidence q = new QueueEvidence("sw_out", "sw/port2", "tbf", 80, 30, 52, 45_000, 0, 900, 16_000, 24_000_000, 8);
        List<Finding> findings = Diagnoser.diagnose(s, new Evidence(List.of(q), List.of()));
        assertEquals(1, findings.size(), findings.toString());
        Finding f = findings.getFirst();
        assertEquals("sw_out > rx_dev", f.segment());
        assertEquals(Finding.QUEUEING, f.cause());
        assertEquals(0.98, f.share(), 1e-9);
        assertEquals(1.0, f.explainedShare(), 1e-9, "15 ms of queueing explains the 15 ms segment");
        assertTrue(f.evidence().startsWith("tbf qdisc on sw/port2: backlog mean 30.0 packets, 45000 bytes (max 52 packets)"), f.evidence());
    }

    @Test
    void aWaitForTheCpuNamesWhoHeldIt() {
        Summary s = summary(flow(100, 100), List.of(
                segment("sw_out", "rx_dev", 100, 0, 2_000, 0.001),
                segment("rx_dev", "rx", 100, 0, 6_000_000, 0.999)), List.of());
        CpuWaitEvidence c = new CpuWaitEvidence("rx", "vdemo-vm1", 200, 200L * 5_400_000, 11_000_000, List.of(
                new CpuWaitEvidence.Holder("bash", 4242, 4242, 190, 190L * 5_600_000),
                new CpuWaitEvidence.Holder("swapper/1", 0, 0, 10, 10L * 1_600_000)));
        QueueEvidence empty = new QueueEvidence("sw_out", "sw/port1", "noqueue", 80, 0, 0, 0, 0, 0, 0, 0, 8);
        Finding f = Diagnoser.diagnose(s, new Evidence(List.of(empty), List.of(c))).getFirst();
        assertEquals("rx_dev > rx", f.segment());
        assertEquals(Finding.CPU_WAIT, f.cause());
        assertEquals(0.9, f.explainedShare(), 1e-9, "5.4 ms of a 6 ms segment");
        assertTrue(f.evidence().contains("the CPU was held by bash (pid 4242) 99%"), f.evidence());
    }

    @Test
    void dropsAreFindingsWithTheirReasonsAndTheRestIsUnexplained() {
        Summary s = summary(flow(1000, 990), List.of(
                segment("tx", "sw_out", 1000, 0, 5_000, 0.2),
                segment("sw_out", "rx_dev", 1000, 0, 5_000, 0.2),
                segment("rx_dev", "rx", 990, 10, 15_000, 0.6)),
                List.of(new Summary.Drop("rx_dev > rx", "SKB_DROP_REASON_NETFILTER_DROP", 10)));
        List<Finding> findings = Diagnoser.diagnose(s, Evidence.NONE);
        assertEquals(2, findings.size(), findings.toString());
        Finding latency = findings.get(0);
        assertEquals(Finding.UNEXPLAINED, latency.cause());
        assertEquals(0, latency.explainedShare());
        assertTrue(latency.evidence().contains("no queue behind rx_dev"), latency.evidence());
        Finding drops = findings.get(1);
        assertEquals(Finding.DROPS, drops.cause());
        assertEquals(0.01, drops.share(), 1e-9);
        assertEquals(1.0, drops.explainedShare(), 1e-9);
        assertTrue(drops.evidence().contains("SKB_DROP_REASON_NETFILTER_DROP × 10"), drops.evidence());
    }
}
