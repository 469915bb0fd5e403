package io.vnettracer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.testing.Root;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Output paths of trace, report and certs: refused before anything is attached or written (exit 2,
 * one line), created 0600, replaced only with --force, never written through a link; and --json
 * /dev/stdout still works.
 */
class OutputFilesTest {
    @TempDir
    Path dir;

    private CommandLineRun trace(String... args) {
        List<String> all = new ArrayList<>(List.of("trace", "--run-dir", dir.toString(), "--probe", "rx=kernel:netif_receive_skb:lo",
                "--quiet"));
        all.addAll(List.of(args));
        if (!all.contains("--duration")) {
            all.addAll(List.of("--duration", "300ms"));
        }
        return CommandLineRun.of(all.toArray(String[]::new));
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void jsonIntoAMissingDirectoryIsRefusedBeforeAnyProbeIsAttached() throws Exception {
        Root.assume();
        int before = BpfDescriptors.programsAndLinks();
        Path json = dir.resolve("missing/s.json");
        long started = System.nanoTime();
        CommandLineRun run = trace("--duration", "30s", "--json", json.toString());
        long tookMillis = (System.nanoTime() - started) / 1_000_000;
        assertEquals(2, run.exitCode(), run.err());
        assertEquals("vnettracer trace: --json " + json + ": the directory " + dir.resolve("missing")
                + " does not exist; create it first\n", run.err());
        assertTrue(tookMillis < 10_000, "refused at the start, not after the 30 s trace: " + tookMillis + " ms");
        assertEquals(before, BpfDescriptors.programsAndLinks(), "nothing attached");
    }

    @Test
    void aLinkAtAnOutputPathIsRefusedAndItsTargetLeftAlone() throws Exception {
        Root.assume();
        int before = BpfDescriptors.programsAndLinks();
        Path target = Files.writeString(dir.resolve("root-owned"), "keep\n");
        for (String option : new String[] {"--events", "--pcapng", "--store", "--json"}) {
            Path link = Files.createSymbolicLink(dir.resolve("out" + option), target);
            CommandLineRun run = trace(option, link.toString(), "--force");
            assertEquals(2, run.exitCode(), run.err());
            assertEquals("vnettracer trace: " + option + " " + link + ": it is a symbolic link (to " + target
                    + "); output files are not written through links: name the file itself\n", run.err());
            assertEquals("keep\n", Files.readString(target));
        }
        assertEquals(before, BpfDescriptors.programsAndLinks(), "nothing attached");
    }

    @Test
    void existingFilesAreRefusedWithoutForceAndReplacedPrivateWithIt() throws Exception {
        Root.assume();
        Path json = Files.writeString(dir.resolve("s.json"), "old");
        Path events = Files.writeString(dir.resolve("e.bin"), "old");
        Path pcapng = Files.writeString(dir.resolve("t.pcapng"), "old");
        Path store = Files.writeString(dir.resolve("t.duckdb"), "old");
        for (Path p : List.of(json, events, pcapng, store)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        }
        String[] outputs = {"--json", json.toString(), "--events", events.toString(), "--pcapng", pcapng.toString(),
                "--store", store.toString()};
        CommandLineRun refused = trace(outputs);
        assertEquals(2, refused.exitCode(), refused.err());
        assertEquals("vnettracer trace: --json " + json + ": the file exists; pass --force to replace it\n", refused.err());
        List<String> forced = new ArrayList<>(List.of(outputs));
        forced.add("--force");
        CommandLineRun run = trace(forced.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        for (Path p : List.of(json, events, pcapng, store)) {
            assertTrue(Files.size(p) > 3, p + " was written");
            assertEquals("rw-------", mode(p), p.toString());
        }
        try (var left = Files.list(dir)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().contains(".writing-")), "the store's directory is gone");
        }
    }

    @Test
    void newFilesArePrivateAndTheStandardStreamsAndDevicesStillWork() throws Exception {
        Root.assume();
        Path events = dir.resolve("e.bin");
        CommandLineRun run = trace("--json", "/dev/stdout", "--events", events.toString(), "--pcapng", "/dev/null");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("rw-------", mode(events));
        assertTrue(Files.exists(Path.of("/dev/null")) && !Files.isRegularFile(Path.of("/dev/null")));
    }

    @Test
    void reportRefusesAnExistingPageWithoutForce() throws Exception {
        Path in = Files.createDirectory(dir.resolve("demo"));
        Path fixtures = Path.of("../sinks/src/test/resources/report");
        try (var files = Files.list(fixtures)) {
            for (Path f : files.toList()) {
                if (Files.isRegularFile(f)) {
                    Files.copy(f, in.resolve(f.getFileName()));
                }
            }
        }
        Path page = Files.writeString(dir.resolve("page.html"), "mine");
        CommandLineRun refused = CommandLineRun.of("report", "--in", in.toString(), "--out", page.toString());
        assertEquals(2, refused.exitCode(), refused.err());
        assertEquals("vnettracer report: --out " + page + ": the file exists; pass --force to replace it\n", refused.err());
        assertEquals("mine", Files.readString(page));
        CommandLineRun replaced = CommandLineRun.of("report", "--in", in.toString(), "--out", page.toString(), "--force");
        assertEquals(0, replaced.exitCode(), replaced.err());
        assertTrue(Files.readString(page).startsWith("<!DOCTYPE html>"));
        assertEquals("rw-------", mode(page));
    }

    @Test
    void certsRefusesNamesThatInjectAndAnExistingCaUnlessForced() throws Exception {
        Path tls = dir.resolve("tls");
        for (String bad : new String[] {"../etc", "a/b", "..", ".hidden", "vm1,O=evil", "CN=x", "a+b", "a\"b", "a\nb", "x".repeat(65)}) {
            CommandLineRun run = CommandLineRun.of("certs", "--dir", tls.toString(), "--node", bad);
            assertEquals(2, run.exitCode(), bad + ": " + run.err());
            assertTrue(run.err().startsWith("vnettracer certs: --node '"), run.err());
            CommandLineRun collector = CommandLineRun.of("certs", "--dir", tls.toString(), "--node", "vm1", "--collector", bad);
            assertEquals(2, collector.exitCode(), bad + ": " + collector.err());
        }
        assertTrue(Files.notExists(tls), "nothing was written for a bad name");
        assertEquals(0, CommandLineRun.of("certs", "--dir", tls.toString(), "--node", "vm1").exitCode());
        String ca = Files.readString(tls.resolve("ca.pem"));
        CommandLineRun again = CommandLineRun.of("certs", "--dir", tls.toString(), "--node", "vm2");
        assertEquals(2, again.exitCode());
        assertEquals(ca, Files.readString(tls.resolve("ca.pem")), "the CA is left as it was");
        assertTrue(Files.notExists(tls.resolve("vm2.pem")));
        CommandLineRun forced = CommandLineRun.of("certs", "--dir", tls.toString(), "--node", "vm1", "--force");
        assertEquals(0, forced.exitCode(), forced.err());
        assertTrue(!ca.equals(Files.readString(tls.resolve("ca.pem"))), "a new CA");
        assertEquals("rw-------", mode(tls.resolve("ca.key")));
        assertEquals("rw-------", mode(tls.resolve("vm1.key")));
        assertEquals("rw-r--r--", mode(tls.resolve("vm1.pem")));
    }
}
