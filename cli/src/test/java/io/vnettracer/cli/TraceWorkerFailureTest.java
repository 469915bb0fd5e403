package io.vnettracer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vnettracer.bpf.link.TcxDirection;
import io.vnettracer.bpf.link.TcxQuery;
import io.vnettracer.bpf.netns.NetNamespace;
import io.vnettracer.bpf.sys.LibC;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Shell;
import io.vnettracer.bpf.testing.VethPair;
import io.vnettracer.event.EventView;
import io.vnettracer.sinks.TraceSink;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A thread of a trace that fails ends the trace at once, with no --duration: a full disk under the
 * events file (drain thread) or the store (store writer), an Error on the drain thread. Each time:
 * back within seconds, exit 1, one line naming the thread and the cause, the summary of what was
 * joined written, and the kernel holds none of the trace's TCX programs any more.
 */
class TraceWorkerFailureTest {
    private static final int PORT = 40611;
    /** Seconds the trace may take to end once its thread failed (the bound of "promptly", with slack for a busy machine). */
    private static final long END_WITHIN_SECONDS = 10;

    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void aFullDiskUnderTheEventsFileEndsTheTrace(@TempDir Path dir) throws Exception {
        try (VethPair net = new VethPair("vhfail", 231); SmallDisk disk = new SmallDisk(dir.resolve("disk"))) {
            Path json = dir.resolve("summary.json");
            Ended ended = traceUntilItEnds(net, dir, CommandLine -> { }, 20_000, disk,
                    "--events", disk.path.resolve("events.bin").toString(), "--json", json.toString());
            assertFailedOnce(ended.run, "the drain thread (thread vnettracer-drain) failed: java.io.IOException: No space left on device");
            assertSummaryHasEvents(json);
        }
    }

    @Test
    void aFullDiskUnderTheStoreEndsTheTrace(@TempDir Path dir) throws Exception {
        try (VethPair net = new VethPair("vhfail", 232); SmallDisk disk = new SmallDisk(dir.resolve("disk"))) {
            Path json = dir.resolve("summary.json");
            // The writer commits every 32 batches of 4096 events: two probes see each datagram, so 80000 datagrams make it write.
            Ended ended = traceUntilItEnds(net, dir, cmd -> { }, 80_000, disk,
                    "--store", disk.path.resolve("trace.duckdb").toString(), "--json", json.toString());
            assertFailedOnce(ended.run, "the store writer (thread vnettracer-store) failed:");
            assertSummaryHasEvents(json);
        }
    }

    @Test
    void anErrorOnTheDrainThreadEndsTheTrace(@TempDir Path dir) throws Exception {
        try (VethPair net = new VethPair("vhfail", 233)) {
            Path json = dir.resolve("summary.json");
            TraceSink failing = new TraceSink() {
                private long events;

                @Override
                public void onEvent(EventView event) {
                    if (++events == 1000) {
                        throw new OutOfMemoryError("simulated: Java heap space");
                    }
                }

                @Override
                public String describe() {
                    return "a sink that runs out of memory";
                }

                @Override
                public void close() {}
            };
            Ended ended = traceUntilItEnds(net, dir, cmd -> ((TraceCommand) cmd.getSubcommands().get("trace").getCommand()).addSink(failing),
                    5_000, null, "--json", json.toString());
            assertFailedOnce(ended.run, "the drain thread (thread vnettracer-drain) failed: java.lang.OutOfMemoryError: simulated: Java heap space");
            assertSummaryHasEvents(json);
        }
    }

    private record Ended(CommandLineRun run, long nanosAfterTraffic) {}

    /**
     * Traces the veth pair's two ends with no duration, fills {@code disk} (if any) once attached,
     * sends {@code datagrams}, and waits (bounded) for the trace to end by itself.
     */
    private static Ended traceUntilItEnds(VethPair net, Path dir, java.util.function.Consumer<CommandLine> prepare, int datagrams,
                                          SmallDisk disk, String... extra) throws Exception {
        int before = BpfDescriptors.programsAndLinks();
        CommandLine cmd = Main.commandLine();
        prepare.accept(cmd);
        List<String> args = new ArrayList<>(List.of("--quiet", "--filter", "udp and port " + PORT,
                "--probe", "tx=dev:" + net.outer + ":egress", "--probe", "rx=dev:" + net.namespace + "/" + net.inner + ":ingress"));
        args.addAll(List.of(extra));
        BackgroundTrace trace = BackgroundTrace.trace(cmd, dir, args.toArray(String[]::new));
        trace.awaitAttached();
        assertEquals(1, tcxPrograms(net, TcxDirection.EGRESS, false), "attached at the sender");
        assertEquals(1, tcxPrograms(net, TcxDirection.INGRESS, true), "attached at the receiver");
        if (disk != null) {
            disk.fill();
        }
        blast(net.innerAddress, datagrams);
        long sent = System.nanoTime();
        CommandLineRun run = trace.result(END_WITHIN_SECONDS + 20);
        long took = System.nanoTime() - sent;
        System.out.println("trace ended " + TimeUnit.NANOSECONDS.toMillis(took) + " ms after the traffic; stderr: " + run.err());
        assertTrue(took < TimeUnit.SECONDS.toNanos(END_WITHIN_SECONDS), "ended " + took / 1_000_000 + " ms after the traffic");
        assertEquals(0, tcxPrograms(net, TcxDirection.EGRESS, false), "detached at the sender");
        assertEquals(0, tcxPrograms(net, TcxDirection.INGRESS, true), "detached at the receiver");
        assertEquals(before, BpfDescriptors.programsAndLinks(), "no program or link left open");
        return new Ended(run, took);
    }

    private static void assertFailedOnce(CommandLineRun run, String expected) {
        assertEquals(Main.EXIT_FAILURE, run.exitCode(), run.err());
        List<String> lines = run.err().lines().filter(l -> l.contains(" failed: ")).toList();
        assertEquals(1, lines.size(), run.err());
        String line = lines.get(0);
        assertTrue(line.startsWith("vnettracer trace: " + expected), line);
        assertTrue(line.contains("; the trace was stopped"), line);
    }

    private static void assertSummaryHasEvents(Path json) throws Exception {
        JsonNode summary = new ObjectMapper().readTree(json.toFile());
        long events = 0;
        for (JsonNode p : summary.get("probes")) {
            events += p.get("events").asLong();
        }
        assertTrue(events > 0, "the summary holds what was joined: " + summary.get("probes"));
    }

    private static int tcxPrograms(VethPair net, TcxDirection direction, boolean inner) throws Exception {
        if (!inner) {
            return TcxQuery.of(LibC.ifNameToIndex(net.outer), direction).count();
        }
        try (NetNamespace ns = NetNamespace.named(net.namespace)) {
            return ns.run(() -> TcxQuery.of(LibC.ifNameToIndex(net.inner), direction).count());
        }
    }

    /** UDP to a port nobody listens on, as fast as the socket takes it. */
    private static void blast(String address, int datagrams) throws Exception {
        try (DatagramChannel ch = DatagramChannel.open()) {
            InetSocketAddress to = new InetSocketAddress(address, PORT);
            ByteBuffer payload = ByteBuffer.allocate(32);
            for (int i = 0; i < datagrams; i++) {
                payload.clear();
                ch.send(payload, to);
            }
        }
    }

    /** A 4 MiB tmpfs, to be filled to the last byte once the trace has created its files there. */
    private static final class SmallDisk implements AutoCloseable {
        final Path path;

        SmallDisk(Path path) throws Exception {
            this.path = Files.createDirectories(path);
            Shell.run("mount", "-t", "tmpfs", "-o", "size=4m", "vhfail-disk", path.toString());
        }

        void fill() {
            // dd ends with "No space left on device" (status 1) once the disk is full: that is the point
            Shell.run("bash", "-c", "dd if=/dev/zero of=" + path.resolve("filler") + " bs=64k 2>/dev/null; df --output=avail " + path);
        }

        @Override
        public void close() {
            Shell.run("umount", "-l", path.toString());
        }
    }
}
