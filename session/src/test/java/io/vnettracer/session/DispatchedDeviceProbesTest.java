package io.vnettracer.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.link.TcxDirection;
import io.vnettracer.bpf.link.TcxQuery;
import io.vnettracer.bpf.link.tc.FilterOwner;
import io.vnettracer.bpf.netns.Interfaces;
import io.vnettracer.bpf.netns.NetNamespace;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Shell;
import io.vnettracer.bpf.testing.VethPair;
import io.vnettracer.event.EventKind;
import io.vnettracer.event.EventView;
import io.vnettracer.probe.script.IdentityMode;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.probe.script.TracingScript;
import io.vnettracer.probe.spec.ProbeSpecParser;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Device probes added and removed on a live session while traffic flows, on a hook whose
 * dispatcher is already attached: the hook keeps one program (the dispatcher), a probe added sees
 * the very next packet, a probe removed sees none, and no packet is altered or lost on the way.
 */
class DispatchedDeviceProbesTest {
    private static final int PORT = 41900;
    private static final int PAYLOAD = 48;
    private static final int CYCLES = 8;

    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void addAndRemoveOnAHookWithADispatcherIsAMapUpdateUnderTraffic() throws Exception {
        try (VethPair net = new VethPair("vpdsp", 244)) {
            List<String> timings = run(net, SessionOptions.DEFAULT, () -> assertEquals(1, tcxPrograms(net),
                    "the hook runs the dispatcher alone, however many probes it chains"));
            System.out.println("dispatched add/remove on a live hook (TCX): " + timings);
            assertEquals(0, tcxPrograms(net), "nothing left on the hook");
        }
    }

    @Test
    void theLegacyTcHookHasOneOwnedDispatcherFilter() throws Exception {
        try (VethPair net = new VethPair("vpdsl", 245)) {
            List<String> timings = run(net, SessionOptions.DEFAULT.withLegacyTc(), () -> {
                List<String> names = tcFilterNames(net);
                assertEquals(1, names.size(), "one filter on the hook: " + names);
                FilterOwner owner = FilterOwner.parse(names.get(0)).orElseThrow(
                        () -> new AssertionError("the dispatcher's filter is named for the stale sweep: " + names));
                assertEquals(ProcessHandle.current().pid(), owner.pid());
                assertEquals("dispatch-egress", owner.probe());
            });
            System.out.println("dispatched add/remove on a live hook (legacy tc): " + timings);
            assertEquals(List.of(), tcFilterNames(net), "no filter left");
            String qdiscs = Shell.run("ip", "netns", "exec", net.namespace, "tc", "qdisc", "show", "dev", net.inner);
            assertTrue(!qdiscs.contains("clsact"), "clsact removed: " + qdiscs);
        }
    }

    /**
     * Steady datagrams from the namespace to a receiver outside, a base probe on the inner end's
     * egress from the start, and {@link #CYCLES} probes added to and removed from that hook in turn;
     * after each add (remove) one marker datagram from a socket of its own. Returns the timings.
     */
    private static List<String> run(VethPair net, SessionOptions options, Runnable checkHook) throws Exception {
        String hook = "dev:" + net.namespace + "/" + net.inner + ":egress";
        TracingScript script = new TracingScript(List.of(ProbeDefinition.recording("base", ProbeSpecParser.parse(hook))),
                "udp and port " + PORT, IdentityMode.FINGERPRINT);
        Seen seen = new Seen();
        List<String> timings = new ArrayList<>();
        try (NetNamespace ns = NetNamespace.named(net.namespace);
             DatagramSocket steady = ns.run(() -> new DatagramSocket(new InetSocketAddress(net.innerAddress, 0)));
             DatagramSocket afterAdd = ns.run(() -> new DatagramSocket(new InetSocketAddress(net.innerAddress, 0)));
             DatagramSocket afterRemove = ns.run(() -> new DatagramSocket(new InetSocketAddress(net.innerAddress, 0)));
             Receiver receiver = new Receiver(net.outerAddress)) {
            InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(net.outerAddress), PORT);
            Sender sender = new Sender(steady, to);
            int[] added = new int[CYCLES];
            try (TraceSession session = TraceSession.start(script, FilterCompiler.PCAP, seen, options)) {
                sender.start();
                Thread.sleep(100);
                for (int i = 0; i < CYCLES; i++) {
                    String name = "extra" + i;
                    added[i] = session.nextProbeId();
                    long addMicros = session.addProbe(ProbeDefinition.recording(name, ProbeSpecParser.parse(hook)));
                    send(afterAdd, to, receiver);
                    checkHook.run();
                    if (i == 0) {
                        String listing = session.dispatcherListings();
                        assertTrue(listing.contains("; dispatcher of " + hook) && listing.contains("bpf_tail_call"),
                                "the dispatcher prints as assembly:\n" + listing);
                        assertTrue(session.listing(name).contains("bpf_tail_call"), session.listing(name));
                    }
                    Thread.sleep(30);
                    long removeMicros = session.removeProbe(name);
                    send(afterRemove, to, receiver);
                    timings.add(String.format("add %.2f ms, remove %.2f ms", addMicros / 1000.0, removeMicros / 1000.0));
                    Thread.sleep(20);
                }
                sender.stop();
                receiver.awaitCount(sender.sent.get() + 2L * CYCLES);
                Thread.sleep(50);
            }
            assertEquals(sender.sent.get() + 2L * CYCLES, receiver.intact.get(),
                    "every datagram arrived with the bytes sent (" + receiver.altered.get() + " altered)");
            assertEquals(0, receiver.altered.get());
            int addPort = afterAdd.getLocalPort();
            int removePort = afterRemove.getLocalPort();
            assertEquals(sender.sent.get(), seen.count(0, steady.getLocalPort()), "the base probe saw every steady datagram");
            assertEquals(CYCLES, seen.count(0, addPort));
            assertEquals(CYCLES, seen.count(0, removePort));
            for (int i = 0; i < CYCLES; i++) {
                assertEquals(1, seen.count(added[i], addPort), "probe extra" + i + " saw the datagram sent right after its add");
                assertEquals(0, seen.count(added[i], removePort), "probe extra" + i + " saw nothing after its removal");
            }
        }
        return timings;
    }

    private static void send(DatagramSocket socket, InetSocketAddress to, Receiver receiver) throws Exception {
        socket.send(new DatagramPacket(Sender.payload(), PAYLOAD, to));
    }

    private static int tcxPrograms(VethPair net) {
        try (NetNamespace ns = NetNamespace.named(net.namespace)) {
            return ns.run(() -> TcxQuery.of(Interfaces.index(ns, net.inner), TcxDirection.EGRESS).count());
        }
    }

    private static List<String> tcFilterNames(VethPair net) {
        String out = Shell.run("ip", "netns", "exec", net.namespace, "tc", "filter", "show", "dev", net.inner, "egress");
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("(vnt-\\S+?)(?::\\[\\d+\\])?\\s").matcher(out + " ");
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Events per (probe, source port) for datagrams to {@link #PORT}. */
    private static final class Seen implements EventConsumer {
        private final ConcurrentHashMap<Long, AtomicLong> counts = new ConcurrentHashMap<>();

        @Override
        public void onEvent(EventView e) {
            if (e.kind() == EventKind.PACKET && e.dstPort() == PORT) {
                counts.computeIfAbsent(((long) e.probeId() << 16) | e.srcPort(), k -> new AtomicLong()).incrementAndGet();
            }
        }

        long count(int probeId, int srcPort) {
            AtomicLong c = counts.get(((long) probeId << 16) | srcPort);
            return c == null ? 0 : c.get();
        }
    }

    /** A datagram every 200 us until stopped. */
    private static final class Sender {
        final AtomicLong sent = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final DatagramSocket socket;
        private final InetSocketAddress to;
        private Thread thread;

        Sender(DatagramSocket socket, InetSocketAddress to) {
            this.socket = socket;
            this.to = to;
        }

        static byte[] payload() {
            byte[] b = new byte[PAYLOAD];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) (i * 7 + 3);
            }
            return b;
        }

        void start() {
            thread = Thread.ofPlatform().name("dispatch-test-sender").start(() -> {
                DatagramPacket p = new DatagramPacket(payload(), PAYLOAD, to);
                while (running.get()) {
                    try {
                        socket.send(p);
                        sent.incrementAndGet();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    LockSupport.parkNanos(200_000);
                }
            });
        }

        void stop() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }

    /** Receives outside the namespace and checks each datagram's bytes. */
    private static final class Receiver implements AutoCloseable {
        final AtomicLong intact = new AtomicLong();
        final AtomicLong altered = new AtomicLong();
        private final DatagramSocket socket;
        private final Thread thread;

        Receiver(String address) throws Exception {
            socket = new DatagramSocket(null);
            socket.setReceiveBufferSize(4 << 20);
            socket.bind(new InetSocketAddress(address, PORT));
            socket.setSoTimeout(100);
            byte[] expected = Sender.payload();
            thread = Thread.ofPlatform().name("dispatch-test-receiver").start(() -> {
                byte[] buf = new byte[2048];
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                while (!socket.isClosed()) {
                    try {
                        p.setLength(buf.length);
                        socket.receive(p);
                        boolean same = p.getLength() == PAYLOAD
                                && java.util.Arrays.equals(buf, 0, PAYLOAD, expected, 0, PAYLOAD);
                        (same ? intact : altered).incrementAndGet();
                    } catch (SocketTimeoutException e) {
                        // look at isClosed again
                    } catch (java.io.IOException e) {
                        return;
                    }
                }
            });
        }

        void awaitCount(long n) throws InterruptedException {
            long deadline = System.nanoTime() + 3_000_000_000L;
            while (intact.get() + altered.get() < n && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }

        @Override
        public void close() throws Exception {
            socket.close();
            thread.join();
        }
    }
}
