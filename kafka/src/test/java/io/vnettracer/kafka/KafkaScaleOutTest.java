package io.vnettracer.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.btf.Btf;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Shell;
import io.vnettracer.journey.JoinerConfig;
import io.vnettracer.journey.JourneyJoiner;
import io.vnettracer.journey.ProbeCatalog;
import io.vnettracer.journey.Summary;
import io.vnettracer.probe.script.IdentityMode;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.probe.script.TracingScript;
import io.vnettracer.probe.spec.ProbeSpecParser;
import io.vnettracer.probe.testing.BridgedNamespaces;
import io.vnettracer.probe.testing.UdpSnmp;
import io.vnettracer.session.FilterCompiler;
import io.vnettracer.session.SessionOptions;
import io.vnettracer.session.TraceSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Scale-out against a real Kafka broker (KRaft, started by the test as a child JVM): a real trace
 * over A -> veth -> bridge -> veth -> B with a random tenth of the datagrams dropped by iptables in
 * B publishes to a 6-partition topic; two collectors sharing one consumer group and one collector
 * alone in another must give the same totals, and those must equal what the application sent and
 * received and what the trace's own joiner counted.
 */
class KafkaScaleOutTest {
    private static final int PORT = 40600;
    private static final int COUNT = 4000;
    private static final int RATE = 5000;
    private static final int PARTITIONS = 6;
    private static final String NODE = "vtkf-node";
    private static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = new KafkaBroker();
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) broker.close();
    }

    @ParameterizedTest
    @EnumSource(IdentityMode.class)
    void twoCollectorsInOneGroupGiveTheTotalsOfOneAndOfTheApplication(IdentityMode identity) throws Exception {
        Root.assume();
        String topic = "vtkf-trace-" + identity.name().toLowerCase();
        try (BridgedNamespaces net = new BridgedNamespaces("vtkf", identity == IdentityMode.TAG ? 81 : 82)) {
            Shell.run("ip", "netns", "exec", net.b, "iptables", "-A", "INPUT", "-p", "udp", "--dport", String.valueOf(PORT),
                    "-m", "statistic", "--mode", "random", "--probability", "0.1", "-j", "DROP");
            Map<String, String> specs = specs(net);
            ProbeCatalog catalog = new ProbeCatalog();
            List<ProbeDefinition> probes = new ArrayList<>();
            int id = 0;
            for (var e : specs.entrySet()) {
                probes.add(ProbeDefinition.recording(e.getKey(), ProbeSpecParser.parse(e.getValue())));
                if (e.getKey().equals("drops")) catalog.dropProbe(id, e.getKey(), e.getValue());
                else catalog.probe(id, e.getKey(), e.getValue());
                id++;
            }
            Map<Integer, String> reasons = dropReasons();
            JourneyJoiner local = new JourneyJoiner(catalog, JoinerConfig.defaults().withDropReasonNames(reasons::get));

            try (KafkaTraceSink sink = new KafkaTraceSink(
                         KafkaTraceSink.Options.of(broker.bootstrap, topic, NODE), catalog, reasons);
                 KafkaCollector shared1 = new KafkaCollector(KafkaCollector.Options.of(broker.bootstrap, topic, topic + "-pair"));
                 KafkaCollector shared2 = new KafkaCollector(KafkaCollector.Options.of(broker.bootstrap, topic, topic + "-pair"));
                 KafkaCollector alone = new KafkaCollector(KafkaCollector.Options.of(broker.bootstrap, topic, topic + "-single"))) {
                var pair1 = CompletableFuture.supplyAsync(shared1::run, Thread.ofPlatform()::start);
                var pair2 = CompletableFuture.supplyAsync(shared2::run, Thread.ofPlatform()::start);
                var single = CompletableFuture.supplyAsync(alone::run, Thread.ofPlatform()::start);
                awaitAssignment(() -> shared1.assignedPartitions() > 0 && shared2.assignedPartitions() > 0
                        && shared1.assignedPartitions() + shared2.assignedPartitions() == PARTITIONS
                        && alone.assignedPartitions() == PARTITIONS);

                var snmpBefore = UdpSnmp.of(net.b);
                UdpBlast traffic = new UdpBlast();
                Summary traced;
                try (TraceSession session = TraceSession.start(new TracingScript(probes, "udp and port " + PORT, identity),
                        FilterCompiler.PCAP, e -> {
                            sink.onEvent(e);
                            local.onEvent(e);
                        }, SessionOptions.DEFAULT)) {
                    traffic.run(net.a, net.b, net.bAddress, PORT, COUNT, RATE);
                    Thread.sleep(200);
                    session.close();
                    local.flush();
                    traced = local.summary(session::lostEvents);
                }
                sink.finish(traced);
                KafkaTraceSink.Stats produced = sink.stats();

                KafkaCollector.Result r1 = pair1.get(120, TimeUnit.SECONDS), r2 = pair2.get(120, TimeUnit.SECONDS);
                KafkaCollector.Result one = single.get(120, TimeUnit.SECONDS);
                Summary two = SummaryMerge.merge(List.of(r1.merged(), r2.merged()), Map.of()).summary();

                long iptablesDrops = iptablesPackets(net.b);
                long bufferDrops = UdpSnmp.delta(snmpBefore, UdpSnmp.of(net.b), "Udp.RcvbufErrors");
                System.out.printf("[%s] app: sent %d received %d; iptables dropped %d, socket buffer %d%n", identity, COUNT,
                        traffic.received, iptablesDrops, bufferDrops);
                System.out.printf("[%s] producer: %s%n", identity, produced);
                for (var r : List.of(r1, r2, one)) System.out.printf("[%s] collector: %s%n", identity, r.stats());
                assertEquals(COUNT, traffic.received + iptablesDrops + bufferDrops, "ground truth adds up");

                assertEquals(0, produced.failedRecords() + produced.failedBatches() + produced.overflowRecords(), produced.toString());
                assertEquals(produced.appendedRecords(), produced.sentRecords());
                for (KafkaCollector.Result r : List.of(r1, r2, one)) {
                    assertTrue(r.stats().endedByMarkers(), "ended by the end-of-trace markers: " + r.stats());
                    assertEquals(0, r.stats().badBatches() + r.stats().unknownNodeEntries() + r.stats().unknownProbeEntries()
                            + r.stats().afterEnd() + r.stats().partitionsRevoked(), r.stats().toString());
                }
                assertEquals(PARTITIONS, r1.stats().partitionsEnded() + r2.stats().partitionsEnded());
                assertTrue(r1.stats().entries() > 0 && r2.stats().entries() > 0, "both collectors did work");
                assertEquals(produced.sentRecords(), r1.stats().entries() + r2.stats().entries());
                assertEquals(produced.sentRecords(), one.stats().entries());

                Summary single1 = one.merged().summary();
                Summary.Flow flowTwo = only(two, net), flowOne = only(single1, net), flowLocal = only(traced, net);
                for (Summary.Flow f : List.of(flowTwo, flowOne, flowLocal)) {
                    assertEquals(COUNT, f.sent(), "sent " + f);
                    assertEquals(traffic.received, f.received(), "received " + f);
                    assertEquals(iptablesDrops + bufferDrops, f.lost(), "lost " + f);
                }
                assertEquals(flowOne.latencyNs(), flowTwo.latencyNs());
                assertEquals(flowLocal.latencyNs(), flowTwo.latencyNs(), "one joiner or six merged: the same distribution");
                assertEquals(single1.counters().journeys(), two.counters().journeys());
                assertEquals(traced.counters().journeys(), two.counters().journeys());
                assertEquals(eventsByProbe(single1), eventsByProbe(two));
                Map<String, Long> localEvents = new HashMap<>();
                traced.probes().forEach(p -> localEvents.put(NODE + "/" + p.name(), p.events()));
                assertEquals(localEvents, eventsByProbe(two), "events per probe as the trace itself counted them");
                assertEquals(single1.drops(), two.drops());
                assertEquals(traced.eventsLost(), two.eventsLost());
                assertEquals(0, two.eventsLost());
            }
        }
    }

    /** Publishing generated events as fast as the sink takes them, through the broker, to one collector: records/s. */
    @Test
    void throughputThroughProducerBrokerAndCollector() throws Exception {
        String topic = "vtkf-throughput";
        GeneratedPath path = new GeneratedPath(200_000, 1);
        io.vnettracer.event.EventView view = new io.vnettracer.event.EventView();
        try (KafkaTraceSink sink = new KafkaTraceSink(KafkaTraceSink.Options.of(broker.bootstrap, topic, NODE),
                     GeneratedPath.catalog(), Map.of(GeneratedPath.REASON, "NETFILTER_DROP"));
             KafkaCollector collector = new KafkaCollector(KafkaCollector.Options.of(broker.bootstrap, topic, topic)
                     .withDuration(Duration.ofMinutes(5)))) {
            var result = CompletableFuture.supplyAsync(collector::run, Thread.ofPlatform()::start);
            awaitAssignment(() -> collector.assignedPartitions() == PARTITIONS);
            long start = System.nanoTime();
            long offered = 0;
            for (int k = 0; k < path.count; k++) {
                sink.onEvent(view.wrap(path.events, path.offset(k)));
                offered++;
                // Paced like a drain thread whose ring is never empty, but kept inside the batch pool:
                // this measures the transport, not how fast an unpaced loop overflows the pool.
                if (offered % 8192 == 0) {
                    while (offered - sink.stats().sentRecords() > 80_000) Thread.sleep(1);
                }
            }
            long produced = System.nanoTime();
            sink.finish(new Summary(1, List.of(), List.of(), List.of(), List.of(), 0, new io.vnettracer.journey.JoinCounters()));
            KafkaCollector.Result r = result.get(300, TimeUnit.SECONDS);
            long end = System.nanoTime();
            KafkaTraceSink.Stats s = sink.stats();
            double seconds = (end - start) / 1e9;
            System.out.printf("throughput: %d events offered, %d sent, %d dropped (pool full), %d failed; appended in %.2f s;"
                            + " producer -> broker -> collector joined %d in %.2f s = %.0f records/s%n",
                    offered, s.sentRecords(), s.overflowRecords(), s.failedRecords(), (produced - start) / 1e9,
                    r.stats().entries(), seconds, r.stats().entries() / seconds);
            assertEquals(0, s.failedRecords());
            assertEquals(s.sentRecords(), r.stats().entries(), "every record sent was joined");
            assertEquals(offered, s.appendedRecords() + s.overflowRecords(), "every event offered is sent or counted as dropped");
            assertTrue(r.stats().endedByMarkers());
        }
    }

    /**
     * A second collector joins mid-stream: the first gives up half its partitions (flushed, figures
     * kept, offsets committed) and the second continues after them. No record is joined twice or
     * lost: the two collectors' events per probe add up to what was produced.
     */
    @Test
    void aRebalanceMidStreamNeitherLosesNorRepeatsARecord() throws Exception {
        String topic = "vtkf-rebalance";
        GeneratedPath path = new GeneratedPath(40_000, 2);
        io.vnettracer.event.EventView view = new io.vnettracer.event.EventView();
        try (KafkaTraceSink sink = new KafkaTraceSink(KafkaTraceSink.Options.of(broker.bootstrap, topic, NODE),
                     GeneratedPath.catalog(), Map.of(GeneratedPath.REASON, "NETFILTER_DROP"));
             KafkaCollector first = new KafkaCollector(KafkaCollector.Options.of(broker.bootstrap, topic, topic));
             KafkaCollector second = new KafkaCollector(KafkaCollector.Options.of(broker.bootstrap, topic, topic))) {
            var firstRun = CompletableFuture.supplyAsync(first::run, Thread.ofPlatform()::start);
            awaitAssignment(() -> first.assignedPartitions() == PARTITIONS);
            int half = path.count / 2;
            for (int k = 0; k < half; k++) sink.onEvent(view.wrap(path.events, path.offset(k)));
            Thread.sleep(1000); // the first collector joins the first half
            var secondRun = CompletableFuture.supplyAsync(second::run, Thread.ofPlatform()::start);
            awaitAssignment(() -> second.assignedPartitions() > 0 && first.assignedPartitions() + second.assignedPartitions() == PARTITIONS);
            for (int k = half; k < path.count; k++) sink.onEvent(view.wrap(path.events, path.offset(k)));
            sink.finish(new Summary(1, List.of(), List.of(), List.of(), List.of(), 0, new io.vnettracer.journey.JoinCounters()));
            KafkaCollector.Result a = firstRun.get(120, TimeUnit.SECONDS), b = secondRun.get(120, TimeUnit.SECONDS);
            System.out.printf("rebalance: first %s%nrebalance: second %s%n", a.stats(), b.stats());

            assertTrue(a.stats().partitionsRevoked() > 0, "the first collector gave partitions up: " + a.stats());
            assertEquals(sink.stats().sentRecords(), a.stats().entries() + b.stats().entries(), "each record joined once");
            assertEquals(path.count, sink.stats().sentRecords());
            Summary both = SummaryMerge.merge(List.of(a.merged(), b.merged()), Map.of()).summary();
            long[] produced = new long[GeneratedPath.catalog().size()];
            for (int k = 0; k < path.count; k++) produced[view.wrap(path.events, path.offset(k)).probeId()]++;
            for (Summary.Probe p : both.probes()) {
                int id = GeneratedPath.catalog().probes().stream().filter(q -> (NODE + "/" + q.name()).equals(p.name()))
                        .findFirst().orElseThrow().id();
                assertEquals(produced[id], p.events(), p.name());
            }
        }
    }

    private static Map<String, String> specs(BridgedNamespaces net) {
        Map<String, String> specs = new LinkedHashMap<>();
        specs.put("app_tx", "sock:" + net.a + ":send");
        specs.put("a_out", "dev:" + net.a + "/" + net.aInner + ":egress");
        specs.put("br_in", "dev:" + net.bridgeNamespace + "/" + net.aPort + ":ingress");
        specs.put("br_out", "dev:" + net.bridgeNamespace + "/" + net.bPort + ":egress");
        specs.put("b_in", "dev:" + net.b + "/" + net.bInner + ":ingress");
        specs.put("app_rx", "sock:" + net.b + ":recv");
        specs.put("drops", "drops:" + net.b);
        return specs;
    }

    private static Map<Integer, String> dropReasons() {
        Map<Integer, String> names = new HashMap<>();
        Btf.kernel().enumeration("skb_drop_reason").namesByValue().forEach((code, name) -> names.put(code.intValue(), name));
        return names;
    }

    private static Map<String, Long> eventsByProbe(Summary s) {
        Map<String, Long> m = new HashMap<>();
        s.probes().forEach(p -> m.put(p.name(), p.events()));
        return m;
    }

    private static Summary.Flow only(Summary s, BridgedNamespaces net) {
        List<Summary.Flow> flows = s.flows().stream()
                .filter(f -> f.src().equals(net.aAddress) && f.dst().equals(net.bAddress)).toList();
        assertEquals(1, flows.size(), "flows: " + s.flows());
        return flows.get(0);
    }

    private static void awaitAssignment(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("the consumer groups did not settle within 60 s");
            Thread.sleep(50);
        }
        Thread.sleep(500); // no further rebalance pending
        if (!done.getAsBoolean()) awaitAssignment(done);
    }

    private static long iptablesPackets(String namespace) {
        String out = Shell.run("ip", "netns", "exec", namespace, "iptables", "-L", "INPUT", "-v", "-x", "-n");
        Matcher m = Pattern.compile("^\\s*(\\d+)\\s+\\d+\\s+DROP", Pattern.MULTILINE).matcher(out);
        if (!m.find()) throw new AssertionError("no DROP rule in:\n" + out);
        return Long.parseLong(m.group(1));
    }
}
