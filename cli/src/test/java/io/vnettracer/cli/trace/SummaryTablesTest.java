package io.vnettracer.cli.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.event.EventKind;
import io.vnettracer.event.EventLayout;
import io.vnettracer.event.EventView;
import io.vnettracer.event.EventWriter;
import io.vnettracer.event.IdMode;
import io.vnettracer.journey.JoinerConfig;
import io.vnettracer.journey.JourneyJoiner;
import io.vnettracer.journey.ProbeCatalog;
import io.vnettracer.journey.Summary;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummaryTablesTest {
    /** 100 packets over two probes, 10 us apart, the last 4 never reach the second probe; the trace ends 100 ms later. */
    private static Summary summary() {
        JourneyJoiner joiner = new JourneyJoiner(new ProbeCatalog().probe(0, "tx", "kernel:net_dev_queue").probe(1, "rx", "kernel:netif_receive_skb"),
                JoinerConfig.defaults());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(EventLayout.SIZE);
            EventWriter w = new EventWriter();
            EventView v = new EventView();
            for (int i = 0; i < 100; i++) {
                for (int probe = 0; probe < (i < 96 ? 2 : 1); probe++) {
                    w.wrap(m, 0).kind(EventKind.PACKET).idMode(IdMode.FINGERPRINT).probeId(probe)
                            .timestamp(1_000_000_000L + i * 1_000_000L + probe * 10_000L)
                            .ipv4(0x0a000002, 0x0a000001, 17, 4000, 5000).ipId(i).ipLength(100);
                    joiner.onEvent(v.wrap(m, 0));
                }
            }
        }
        joiner.flush(1_000_000_000L + 200 * 1_000_000L);
        return joiner.summary(id -> id == 1 ? 3 : 0);
    }

    @Test
    void theTablesShowFlowsSegmentsAndProbes() {
        Summary s = summary();
        String text = SummaryTables.render(s, List.of(new ProbeRow("tx", "kernel:net_dev_queue", 100, 0),
                new ProbeRow("rx", "kernel:netif_receive_skb", 96, 3)), 2, Duration.ofSeconds(7), 10);
        assertTrue(text.startsWith("vnettracer trace: 7 s, 100 journeys finished, 1 flows\n"), text);
        assertTrue(text.contains("UNACCOUNTED  IN FLIGHT  RETRANS"), text);
        assertTrue(text.matches("(?s).*udp\\s+10\\.0\\.0\\.2:4000\\s+10\\.0\\.0\\.1:5000\\s+100\\s+96\\s+4\\s+0\\s+0\\s+0\\s+4\\.0%.*"), text);
        assertTrue(text.contains("Segments of udp 10.0.0.2:4000 > 10.0.0.1:5000"), text);
        assertTrue(text.matches("(?s).*tx\\s+rx\\s+96\\s+4\\s+0\\s+0\\s+10\\.0us\\s+10\\.0us\\s+10\\.0us\\s+100\\.0%.*"), text);
        assertTrue(text.matches("(?s).*rx\\s+kernel:netif_receive_skb\\s+96\\s+3\n.*"), text);
        assertTrue(text.contains("undecodable events: 2"), text);
        assertTrue(text.endsWith("\nDegraded (missing sightings there are unaccounted, not lost): ring buffer: 3 records lost at probe rx\n"), text);
    }

    @Test
    void segmentsBetweenNodesShowTheirClockUncertaintyAndTheNodesTheirClocks() {
        JourneyJoiner joiner = new JourneyJoiner(new ProbeCatalog().probe(0, "tx", "dev:eth0:egress")
                .probe(1, "vm2/rx", "dev:eth0:ingress"), JoinerConfig.defaults());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(EventLayout.SIZE);
            EventWriter w = new EventWriter();
            EventView v = new EventView();
            for (int i = 0; i < 10; i++) {
                for (int probe = 0; probe < 2; probe++) {
                    w.wrap(m, 0).kind(EventKind.PACKET).idMode(IdMode.FINGERPRINT).probeId(probe)
                            .timestamp(1_000_000_000L + i * 1_000_000L + probe * 10_000L)
                            .ipv4(0x0a000002, 0x0a000001, 17, 4000, 5000).ipId(i).ipLength(100);
                    joiner.onEvent(v.wrap(m, 0));
                }
            }
        }
        joiner.flush();
        joiner.setNodeClocks(List.of(new Summary.Node("local", 0, 0, "reference"),
                new Summary.Node("vm2", -3_700_000, 2_500, "rpc+traffic")));
        String text = SummaryTables.render(joiner.summary(id -> 0), List.of(), 0, Duration.ofSeconds(1), 10);
        assertTrue(text.matches("(?s).*tx\\s+vm2/rx\\s+10\\s+0\\s+0\\s+0\\s+10\\.0us ±2\\.5us\\s+.*"), text);
        assertTrue(text.matches("(?s).*\nClocks .*local\\s+0ns\\s+0ns\\s+reference\n\\s+vm2\\s+-3\\.70ms\\s+2\\.5us\\s+rpc\\+traffic\n.*"), text);
    }

    @Test
    void theCompactLineAddsUpFlows() {
        String line = SummaryTables.line(summary(), List.of(new ProbeRow("tx", "-", 100, 0), new ProbeRow("rx", "-", 96, 3)),
                0, Duration.ofSeconds(3));
        assertEquals("[3s] events tx=100 rx=96 | ring lost 3 | undecodable 0 | flows 1 sent 100 received 96 lost 4 unaccounted 0 in flight 0", line);
    }

    @Test
    void beforeTheFirstSummaryTheTablesSaySo() {
        String text = SummaryTables.render(null, List.of(), 0, Duration.ZERO, 10);
        assertTrue(text.contains("(none yet"), text);
    }

    @Test
    void units() {
        assertEquals("1.25 Mb/s", Units.bitsPerSecond(1_250_000));
        assertEquals("340.0us", Units.nanos(340_000));
        assertEquals("-", Units.nanos(0));
        assertEquals("[fd00::1]:53", Units.endpoint("fd00::1", 53));
    }
}
