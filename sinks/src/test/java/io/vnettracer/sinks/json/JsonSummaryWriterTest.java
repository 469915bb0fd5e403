package io.vnettracer.sinks.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vnettracer.event.EventKind;
import io.vnettracer.event.EventLayout;
import io.vnettracer.event.EventView;
import io.vnettracer.event.EventWriter;
import io.vnettracer.event.PacketKeyLayout;
import io.vnettracer.journey.JoinerConfig;
import io.vnettracer.journey.JourneyJoiner;
import io.vnettracer.journey.ProbeCatalog;
import io.vnettracer.journey.Summary;
import io.vnettracer.journey.diagnosis.Finding;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonSummaryWriterTest {
    static final Predicate<JsonNode> INTEGER = JsonNode::isIntegralNumber;
    static final Predicate<JsonNode> FRACTION = JsonNode::isDouble;
    static final Predicate<JsonNode> TEXT = JsonNode::isTextual;
    static final Predicate<JsonNode> ARRAY = JsonNode::isArray;
    static final Predicate<JsonNode> OBJECT = JsonNode::isObject;

    /** 20 UDP packets over tx -> rx, every 4th dropped with reason 2 seen by kfree_skb; an IPv6 flow beside it. */
    static Summary summary() {
        ProbeCatalog catalog = new ProbeCatalog().probe(1, "vm0/eth0:egress", "tc egress dev eth0")
                .probe(2, "vm1/eth0:ingress", "tc ingress dev eth0").dropProbe(3, "kfree_skb", "tp_btf kfree_skb");
        JourneyJoiner joiner = new JourneyJoiner(catalog,
                JoinerConfig.defaults().withDropReasonNames(code -> code == 2 ? "NOT_SPECIFIED" : null));
        MemorySegment seg = Arena.ofAuto().allocate(EventLayout.SIZE, 8);
        EventWriter w = new EventWriter();
        EventView v = new EventView();
        for (int i = 0; i < 20; i++) {
            long t = 1_000_000L + i * 10_000L;
            boolean v6 = i % 5 == 4;
            emit(joiner, w, v, seg, EventKind.PACKET, 1, t, i, v6, 0);
            if (i % 4 == 1) emit(joiner, w, v, seg, EventKind.DROP, 3, t + 100, i, v6, 2);
            else emit(joiner, w, v, seg, EventKind.PACKET, 2, t + 3_000 + i, i, v6, 0);
        }
        joiner.flush();
        return joiner.summary(id -> id == 2 ? 5 : 0);
    }

    private static void emit(JourneyJoiner joiner, EventWriter w, EventView v, MemorySegment seg, EventKind kind,
                             int probe, long ts, int packet, boolean v6, long extra) {
        w.wrap(seg, 0).kind(kind).probeId(probe).timestamp(ts).extra(extra).ipLength(120).ipId(packet).l4Data(packet);
        if (v6) w.ipv6(0xfd00_0000_0000_0000L, 1, 0xfd00_0000_0000_0000L, 2, PacketKeyLayout.IPPROTO_UDP, 4000, 4001);
        else w.ipv4(0x0a000001, 0x0a000002, PacketKeyLayout.IPPROTO_UDP, 5000, 6000);
        joiner.onEvent(v.wrap(seg, 0));
    }

    @Test
    void theDocumentHasExactlyTheContractsKeysAndTypes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("summary.json");
        new JsonSummaryWriter().write(summary(), file);
        JsonNode root = new ObjectMapper().readTree(Files.readString(file));

        expectKeys(root, "version", INTEGER, "probes", ARRAY, "flows", ARRAY, "segments", ARRAY, "drops", ARRAY,
                "other_flows", OBJECT, "flow_table", OBJECT, "events_lost", INTEGER, "degraded", ARRAY);
        assertEquals(Summary.VERSION, root.get("version").intValue());
        expectKeys(root.get("other_flows"), "flows", INTEGER, "sent", INTEGER, "received", INTEGER, "lost", INTEGER,
                "unaccounted", INTEGER, "in_flight", INTEGER, "retransmits", INTEGER);
        assertEquals(0, root.get("other_flows").get("flows").longValue(), "two flows: both have rows");
        expectKeys(root.get("flow_table"), "max_flows", INTEGER, "evicted_idle", INTEGER, "folded", INTEGER,
                "journeys_finalized_early", INTEGER);
        assertEquals(JoinerConfig.DEFAULT_MAX_FLOWS, root.get("flow_table").get("max_flows").intValue());
        assertEquals(5, root.get("events_lost").longValue());
        assertEquals("ring buffer: 5 records lost at probe vm1/eth0:ingress", root.get("degraded").get(0).textValue());

        assertEquals(3, root.get("probes").size());
        for (JsonNode p : root.get("probes")) {
            expectKeys(p, "name", TEXT, "spec", TEXT, "events", INTEGER, "lost", INTEGER, "sample_every", INTEGER);
        }
        assertEquals(5, root.get("probes").get(1).get("lost").longValue());

        assertEquals(2, root.get("flows").size());
        for (JsonNode f : root.get("flows")) {
            expectKeys(f, "proto", TEXT, "src", TEXT, "sport", INTEGER, "dst", TEXT, "dport", INTEGER,
                    "sent", INTEGER, "received", INTEGER, "lost", INTEGER, "unaccounted", INTEGER, "in_flight", INTEGER,
                    "retransmits", INTEGER, "sent_bytes", INTEGER, "received_bytes", INTEGER, "loss_rate", FRACTION,
                    "throughput_bps", FRACTION, "jitter_ns", FRACTION, "latency_ns", OBJECT);
            expectKeys(f.get("latency_ns"), "min", INTEGER, "mean", FRACTION, "p50", INTEGER, "p90", INTEGER,
                    "p99", INTEGER, "max", INTEGER);
        }
        JsonNode v4 = root.get("flows").get(0);
        assertEquals("udp", v4.get("proto").textValue());
        assertEquals("10.0.0.1", v4.get("src").textValue());
        assertEquals(16, v4.get("sent").longValue());
        assertEquals(4, v4.get("lost").longValue(), "packets 1, 5, 13, 17 of the IPv4 flow were dropped (9 is IPv6)");
        assertEquals(0.25, v4.get("loss_rate").doubleValue(), 0.0);
        assertEquals("fd00::1", root.get("flows").get(1).get("src").textValue());

        assertEquals(2, root.get("segments").size());
        for (JsonNode s : root.get("segments")) {
            expectKeys(s, "flow", TEXT, "from", TEXT, "to", TEXT, "packets", INTEGER, "lost", INTEGER,
                    "unaccounted", INTEGER, "in_flight", INTEGER, "latency_ns", OBJECT, "share", FRACTION);
            expectKeys(s.get("latency_ns"), "mean", FRACTION, "p50", INTEGER, "p99", INTEGER);
            assertEquals(1.0, s.get("share").doubleValue(), 0.0, "one segment carries the whole path");
        }
        assertEquals("udp 10.0.0.1:5000 > 10.0.0.2:6000", root.get("segments").get(0).get("flow").textValue());

        assertEquals(1, root.get("drops").size());
        JsonNode drop = root.get("drops").get(0);
        expectKeys(drop, "probe_or_point", TEXT, "reason", TEXT, "count", INTEGER);
        assertEquals("vm0/eth0:egress > vm1/eth0:ingress", drop.get("probe_or_point").textValue());
        assertEquals("NOT_SPECIFIED", drop.get("reason").textValue());
        assertEquals(5, drop.get("count").longValue());
    }

    @Test
    void aTraceAcrossNodesAddsClockKeysAfterTheContractsOwn() throws Exception {
        JourneyJoiner joiner = new JourneyJoiner(new ProbeCatalog().probe(1, "vm0/eth0:egress", "tc egress dev eth0")
                .probe(2, "vm0/veth0:egress", "tc egress dev veth0").probe(3, "vm1/eth0:ingress", "tc ingress dev eth0"),
                JoinerConfig.defaults());
        MemorySegment seg = Arena.ofAuto().allocate(EventLayout.SIZE, 8);
        EventWriter w = new EventWriter();
        EventView v = new EventView();
        for (int i = 0; i < 10; i++) {
            long t = 1_000_000L + i * 10_000L;
            emit(joiner, w, v, seg, EventKind.PACKET, 1, t, i, false, 0);
            emit(joiner, w, v, seg, EventKind.PACKET, 2, t + 1_000, i, false, 0);
            emit(joiner, w, v, seg, EventKind.PACKET, 3, t + 5_000, i, false, 0);
        }
        joiner.flush();
        joiner.setNodeClocks(List.of(new Summary.Node("vm0", 0, 0, "reference"),
                new Summary.Node("vm1", 3_700_000, 2_500, "traffic")));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new JsonSummaryWriter().write(joiner.summary(id -> 0), out);
        JsonNode root = new ObjectMapper().readTree(out.toByteArray());

        expectKeys(root, "version", INTEGER, "probes", ARRAY, "flows", ARRAY, "segments", ARRAY, "drops", ARRAY,
                "other_flows", OBJECT, "flow_table", OBJECT, "events_lost", INTEGER, "degraded", ARRAY, "nodes", ARRAY);
        assertEquals(Summary.VERSION, root.get("version").intValue(), "additive clock keys keep the version");
        JsonNode sameNode = root.get("segments").get(0), crossing = root.get("segments").get(1);
        expectKeys(sameNode, "flow", TEXT, "from", TEXT, "to", TEXT, "packets", INTEGER, "lost", INTEGER,
                "unaccounted", INTEGER, "in_flight", INTEGER, "latency_ns", OBJECT, "share", FRACTION);
        expectKeys(crossing, "flow", TEXT, "from", TEXT, "to", TEXT, "packets", INTEGER, "lost", INTEGER,
                "unaccounted", INTEGER, "in_flight", INTEGER, "latency_ns", OBJECT, "share", FRACTION,
                "clock_uncertainty_ns", INTEGER);
        assertEquals("vm1/eth0:ingress", crossing.get("to").textValue());
        assertEquals(2_500, crossing.get("clock_uncertainty_ns").longValue(), "0 + 2500: the sum of both nodes'");
        assertEquals(2, root.get("nodes").size());
        for (JsonNode n : root.get("nodes")) {
            expectKeys(n, "name", TEXT, "offset_ns", INTEGER, "uncertainty_ns", INTEGER, "source", TEXT);
        }
        JsonNode vm1 = root.get("nodes").get(1);
        assertEquals(List.of("vm1", 3_700_000L, 2_500L, "traffic"), List.of(vm1.get("name").textValue(),
                vm1.get("offset_ns").longValue(), vm1.get("uncertainty_ns").longValue(), vm1.get("source").textValue()));

        joiner.setNodeClocks(List.of(new Summary.Node("vm0", 0, 0, "reference")));
        ByteArrayOutputStream unaligned = new ByteArrayOutputStream();
        new JsonSummaryWriter().write(joiner.summary(id -> 0), unaligned);
        JsonNode u = new ObjectMapper().readTree(unaligned.toByteArray());
        assertTrue(u.get("segments").get(1).get("clock_uncertainty_ns").isNull(), "vm1 never estimated: unbounded");
        assertTrue(u.get("nodes").get(1).get("uncertainty_ns").isNull());
        assertEquals("none", u.get("nodes").get(1).get("source").textValue());
    }

    @Test
    void version2SaysWhatIsUnaccountedInFlightRetransmittedAndWhy() throws Exception {
        ProbeCatalog catalog = new ProbeCatalog().probe(1, "tx", "dev:a/eth0:egress").probe(2, "rx", "dev:b/eth0:ingress");
        JourneyJoiner joiner = new JourneyJoiner(catalog, JoinerConfig.defaults());
        MemorySegment seg = Arena.ofAuto().allocate(EventLayout.SIZE, 8);
        EventWriter w = new EventWriter();
        EventView v = new EventView();
        int packets = 20, sampleEvery = 2;
        joiner.shortfalls().sampling(2, sampleEvery, 0);
        long last = 0;
        for (int i = 0; i < packets; i++) {
            last = 1_000_000L + i * 10_000L;
            emit(joiner, w, v, seg, EventKind.PACKET, 1, last, i, false, 0);
            if (i % sampleEvery == 0 && i < packets - 1) emit(joiner, w, v, seg, EventKind.PACKET, 2, last + 1_000, i, false, 0);
        }
        joiner.flush(last); // the last packet was sent as the trace ended
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new JsonSummaryWriter().write(joiner.summary(id -> 0), out);
        JsonNode root = new ObjectMapper().readTree(out.toByteArray());

        assertEquals(Summary.VERSION, root.get("version").intValue());
        JsonNode flow = root.get("flows").get(0);
        assertEquals(List.of(0L, (long) packets / sampleEvery - 1, 1L, 0L), List.of(flow.get("lost").longValue(),
                flow.get("unaccounted").longValue(), flow.get("in_flight").longValue(), flow.get("retransmits").longValue()));
        JsonNode segment = root.get("segments").get(0);
        assertEquals(flow.get("unaccounted"), segment.get("unaccounted"));
        assertEquals(flow.get("in_flight"), segment.get("in_flight"));
        assertEquals(sampleEvery, root.get("probes").get(1).get("sample_every").intValue());
        assertEquals(1, root.get("probes").get(0).get("sample_every").intValue());
        assertEquals("sampling: probe rx 1 in " + sampleEvery, root.get("degraded").get(0).textValue());
        assertEquals(0, root.get("drops").size(), "nothing vanished");
    }

    @Test
    void version3WritesTheDiagnosisOnlyWhenAsked() throws Exception {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        new JsonSummaryWriter().write(summary(), plain);
        assertTrue(new ObjectMapper().readTree(plain.toByteArray()).get("diagnosis") == null, "absent when not asked");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new JsonSummaryWriter().write(summary(), List.of(new Finding("udp 10.0.0.1:1 > 10.0.0.2:2", "a > b", 0.75,
                Finding.QUEUEING, "tbf qdisc on sw/p2: ...", 1.0)), out);
        JsonNode root = new ObjectMapper().readTree(out.toByteArray());
        List<String> keys = new java.util.ArrayList<>();
        root.fieldNames().forEachRemaining(keys::add);
        assertEquals("diagnosis", keys.getLast(), "added last: " + keys);
        JsonNode f = root.get("diagnosis").get(0);
        expectKeys(f, "flow", TEXT, "segment", TEXT, "share", FRACTION, "cause", TEXT, "evidence", TEXT,
                "explained_share", FRACTION);
        assertEquals("queueing", f.get("cause").textValue());
        assertEquals(0.75, f.get("share").doubleValue());
    }

    @Test
    void writingToAStreamLeavesItOpen() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new JsonSummaryWriter().write(summary(), out);
        out.write('x');
        assertTrue(out.toString().endsWith("}\nx"));
    }

    /** The node's keys are exactly these, in this order, each of its type. */
    private static void expectKeys(JsonNode node, Object... namesAndTypes) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < namesAndTypes.length; i += 2) expected.add((String) namesAndTypes[i]);
        assertEquals(expected, names);
        for (int i = 0; i < namesAndTypes.length; i += 2) {
            @SuppressWarnings("unchecked")
            Predicate<JsonNode> type = (Predicate<JsonNode>) namesAndTypes[i + 1];
            JsonNode value = node.get((String) namesAndTypes[i]);
            assertTrue(type.test(value), namesAndTypes[i] + " has the wrong type: " + value.getNodeType() + " " + value);
        }
    }
}
