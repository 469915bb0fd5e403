package io.vnettracer.session.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.netns.NetNamespace;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.event.EventLayout;
import io.vnettracer.event.EventView;
import io.vnettracer.journey.JoinerConfig;
import io.vnettracer.journey.JourneyJoiner;
import io.vnettracer.journey.ProbeCatalog;
import io.vnettracer.journey.Summary;
import io.vnettracer.journey.clock.ClockAlignment;
import io.vnettracer.journey.clock.ClockCorrector;
import io.vnettracer.journey.clock.ClockSolver;
import io.vnettracer.journey.clock.ClockSource;
import io.vnettracer.journey.clock.CrossingDelays;
import io.vnettracer.journey.clock.NodeClock;
import io.vnettracer.probe.script.IdentityMode;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.probe.script.TracingScript;
import io.vnettracer.probe.spec.ProbeSpecParser;
import io.vnettracer.probe.testing.BridgedNamespaces;
import io.vnettracer.session.FilterCompiler;
import io.vnettracer.session.SessionOptions;
import io.vnettracer.session.TraceSession;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Clock alignment on real kernel records. Namespace A plays "vm1", the bridge's namespace "host",
 * B "vm2"; probes are named by node. A and B play UDP ping-pong, so packets cross both node
 * boundaries both ways. All three share one kernel clock here, so the test gives vm2 a clock of its
 * own: its consumer adds a known 3.7 ms to every vm2 event before the joiner, as vm2's kernel
 * would stamp them if its clock ran that far ahead.
 *
 * <p>The traffic estimator must find vm2's offset (against "host", the reference) within its
 * stated uncertainty, and vm1's (truly 0) likewise; and the records re-joined with the estimate must
 * give, segment by segment, the means of the same records joined on the one true clock, within each
 * segment's clock uncertainty.
 */
class CrossNodeClockTest {
    private static final int PORT = 40613;
    private static final int ROUND_TRIPS = 2000;
    private static final long VM2_CLOCK_AHEAD = 3_700_000;
    private static final int MAX_EVENTS = 200_000;
    private static final ValueLayout.OfLong U64_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void theOffsetOfANodesClockIsRecoveredFromPingPongTrafficWithinItsUncertainty() throws Exception {
        try (BridgedNamespaces net = new BridgedNamespaces("vtck", 147)) {
            Map<String, String> specs = new LinkedHashMap<>();
            specs.put("vm1/a_out", "dev:" + net.a + "/" + net.aInner + ":egress");
            specs.put("host/br_a_in", "dev:" + net.bridgeNamespace + "/" + net.aPort + ":ingress");
            specs.put("host/br_b_out", "dev:" + net.bridgeNamespace + "/" + net.bPort + ":egress");
            specs.put("vm2/b_in", "dev:" + net.b + "/" + net.bInner + ":ingress");
            specs.put("vm2/b_out", "dev:" + net.b + "/" + net.bInner + ":egress");
            specs.put("host/br_b_in", "dev:" + net.bridgeNamespace + "/" + net.bPort + ":ingress");
            specs.put("host/br_a_out", "dev:" + net.bridgeNamespace + "/" + net.aPort + ":egress");
            specs.put("vm1/a_in", "dev:" + net.a + "/" + net.aInner + ":ingress");
            List<ProbeDefinition> probes = new ArrayList<>();
            ProbeCatalog catalog = new ProbeCatalog();
            int id = 0;
            for (var e : specs.entrySet()) {
                probes.add(ProbeDefinition.recording(e.getKey(), ProbeSpecParser.parse(e.getValue())));
                catalog.probe(id++, e.getKey(), e.getValue()); // the session numbers probes in script order from 0
            }

            // The live pass: vm2's events on vm2's (artificial) clock, joined as they come, crossings measured.
            SavedEvents saved = new SavedEvents(MAX_EVENTS);
            VmClock vm2Clock = new VmClock(catalog, "vm2", VM2_CLOCK_AHEAD);
            JourneyJoiner live = new JourneyJoiner(catalog, JoinerConfig.defaults());
            CrossingDelays crossings = new CrossingDelays(catalog);
            live.setListener(crossings);
            long[] lost = new long[specs.size()];
            try (TraceSession session = TraceSession.start(new TracingScript(probes, "udp and port " + PORT, IdentityMode.FINGERPRINT),
                    FilterCompiler.PCAP, e -> {
                        saved.add(e);
                        live.onEvent(vm2Clock.stamp(e));
                    }, SessionOptions.DEFAULT)) {
                int answered = pingPong(net);
                assertTrue(answered > ROUND_TRIPS * 0.95, "round trips answered: " + answered);
                Thread.sleep(200);
                session.close();
                for (int p = 0; p < lost.length; p++) lost[p] = session.lostEvents(p);
            }
            live.flush();
            assertEquals(0, saved.overflow, "events beyond the test's store");
            for (long l : lost) assertEquals(0, l, "ring buffer losses");

            ClockAlignment clocks = ClockSolver.solve(crossings.snapshot(), "host", Map.of(), Map.of());
            System.out.printf("%d events, %d crossing journeys; %s%n", saved.count, crossings.crossingJourneys(), clocks);
            assertTrue(clocks.conflicts().isEmpty(), clocks.conflicts().toString());
            NodeClock vm2 = clocks.node("vm2"), vm1 = clocks.node("vm1");
            assertEquals(ClockSource.TRAFFIC, vm2.source());
            assertTrue(vm2.offset().allows(VM2_CLOCK_AHEAD), vm2 + " must allow " + VM2_CLOCK_AHEAD);
            assertTrue(vm1.offset().allows(0), vm1 + " must allow 0");
            // a veth crossing takes microseconds: an uncertainty of a millisecond would mean the wrong gap
            assertTrue(vm2.offset().uncertaintyNanos() < 200_000, vm2.toString());

            // The same records: once on the one true clock, once on vm2's clock moved back by the estimate.
            Summary truth = join(catalog, saved, e -> e, List.of());
            ClockCorrector corrector = new ClockCorrector(catalog, clocks.offsets());
            Summary aligned = join(catalog, saved, e -> corrector.toReference(vm2Clock.stamp(e)), clocks.summaryNodes());

            assertEquals(2, truth.flows().size(), "ping and pong: " + truth.flows());
            assertEquals(keys(truth), keys(aligned), "the same segments");
            int crossing = 0;
            for (int i = 0; i < truth.segments().size(); i++) {
                Summary.Segment t = truth.segments().get(i), a = aligned.segments().get(i);
                System.out.printf("%-14s > %-14s %6d packets  true mean %9.1f ns  re-joined %9.1f ns  ±%s%n", a.from(), a.to(),
                        a.packets(), t.latencyNs().mean(), a.latencyNs().mean(),
                        a.crossesClocks() ? a.clockUncertaintyNs() + " ns" : "0 (one clock)");
                assertEquals(t.packets(), a.packets(), a.toString());
                if (a.crossesClocks()) {
                    crossing++;
                    assertTrue(Math.abs(a.latencyNs().mean() - t.latencyNs().mean()) <= a.clockUncertaintyNs(),
                            a + " vs " + t);
                } else {
                    assertEquals(t.latencyNs().mean(), a.latencyNs().mean(), 1e-6, a.toString());
                }
            }
            assertEquals(4, crossing, "vm1 > host and host > vm2 in each direction");
        }
    }

    private static List<List<Object>> keys(Summary s) {
        return s.segments().stream().map(x -> List.<Object>of(x.flow(), x.from(), x.to())).toList();
    }

    private static Summary join(ProbeCatalog catalog, SavedEvents saved, UnaryOperator<EventView> correct, List<Summary.Node> clocks) {
        JourneyJoiner joiner = new JourneyJoiner(catalog, JoinerConfig.defaults());
        EventView view = new EventView();
        for (int i = 0; i < saved.count; i++) joiner.onEvent(correct.apply(saved.view(i, view)));
        joiner.flush();
        joiner.setNodeClocks(clocks);
        return joiner.summary(id -> 0);
    }

    /** Echoes in B what A sends, one datagram at a time; returns the round trips A saw answered. */
    private static int pingPong(BridgedNamespaces net) throws Exception {
        AtomicBoolean ready = new AtomicBoolean();
        Thread echo = Thread.ofPlatform().start(() -> {
            try (NetNamespace ns = NetNamespace.named(net.b)) {
                ns.execute(() -> {
                    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(net.bAddress, PORT))) {
                        s.setSoTimeout(1000);
                        ready.set(true);
                        byte[] buf = new byte[256];
                        while (true) {
                            DatagramPacket p = new DatagramPacket(buf, buf.length);
                            try {
                                s.receive(p);
                            } catch (SocketTimeoutException idle) {
                                return;
                            }
                            s.send(new DatagramPacket(buf, p.getLength(), p.getSocketAddress()));
                        }
                    }
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        while (!ready.get()) Thread.onSpinWait();
        int[] answered = {0};
        try (NetNamespace ns = NetNamespace.named(net.a)) {
            ns.execute(() -> {
                try (DatagramSocket s = new DatagramSocket()) {
                    s.setSoTimeout(200);
                    InetSocketAddress dst = new InetSocketAddress(net.bAddress, PORT);
                    byte[] out = new byte[64];
                    byte[] in = new byte[256];
                    for (int i = 0; i < ROUND_TRIPS; i++) {
                        ByteBuffer.wrap(out).putLong(0, i); // a distinct payload: a distinct fingerprint
                        s.send(new DatagramPacket(out, out.length, dst));
                        try {
                            s.receive(new DatagramPacket(in, in.length));
                            answered[0]++;
                        } catch (SocketTimeoutException lost) {
                            // counted by the assertion on answered round trips
                        }
                    }
                }
            });
        }
        echo.join();
        return answered[0];
    }

    /** Every event the session handed over, copied as it came (the records a re-join reads). */
    private static final class SavedEvents {
        final MemorySegment store;
        final int capacity;
        int count;
        long overflow;

        SavedEvents(int capacity) {
            this.capacity = capacity;
            this.store = Arena.ofAuto().allocate((long) capacity * EventLayout.SIZE, 8);
        }

        void add(EventView e) {
            if (count == capacity) {
                overflow++;
                return;
            }
            e.copyTo(store, (long) count++ * EventLayout.SIZE);
        }

        EventView view(int i, EventView view) {
            return view.wrap(store, (long) i * EventLayout.SIZE);
        }
    }

    /** Stamps one node's events with that node's own clock: {@code ahead} ns later than the kernel's. */
    private static final class VmClock {
        private final ProbeCatalog catalog;
        private final String node;
        private final long ahead;
        private final MemorySegment scratch = Arena.ofAuto().allocate(EventLayout.SIZE, 8);
        private final EventView view = new EventView();

        VmClock(ProbeCatalog catalog, String node, long ahead) {
            this.catalog = catalog;
            this.node = node;
            this.ahead = ahead;
        }

        EventView stamp(EventView e) {
            int index = catalog.indexOf(e.probeId());
            if (index < 0 || !catalog.get(index).node().equals(node)) return e;
            e.copyTo(scratch, 0);
            scratch.set(U64_LE, EventLayout.TIMESTAMP, e.timestamp() + ahead);
            return view.wrap(scratch, 0);
        }
    }
}
