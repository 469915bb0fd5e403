package io.vnettracer.sinks.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.journey.ProbeCatalog;
import io.vnettracer.sinks.events.EventFileWriter;
import io.vnettracer.sinks.pcapng.PcapngSink;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@link OutputFile} refuses, creates and replaces, on real files, links, devices and FIFOs. */
class OutputFileTest {
    @TempDir
    Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aSymbolicLinkIsRefusedEvenWithForceAndItsTargetIsLeftAlone() throws Exception {
        Path target = Files.writeString(dir.resolve("precious"), "keep me");
        Path link = Files.createSymbolicLink(dir.resolve("out.json"), target);
        for (boolean force : new boolean[] {false, true}) {
            OutputFileException e = assertThrows(OutputFileException.class, () -> OutputFile.of("--json", link, force).open());
            assertEquals("--json " + link + ": it is a symbolic link (to " + target + "); output files are not written"
                    + " through links: name the file itself", e.getMessage());
        }
        // the library writers, which replace their files, do not follow it either
        assertThrows(OutputFileException.class, () -> new EventFileWriter(link));
        assertThrows(OutputFileException.class, () -> new PcapngSink(link, new ProbeCatalog(), 0));
        assertEquals("keep me", Files.readString(target));
        assertTrue(Files.isSymbolicLink(link));
    }

    @Test
    void anExistingFileIsRefusedWithoutForceAndReplacedWithIt() throws Exception {
        Path file = Files.writeString(dir.resolve("t.pcapng"), "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        OutputFileException e = assertThrows(OutputFileException.class, () -> OutputFile.of("--pcapng", file, false).check());
        assertEquals("--pcapng " + file + ": the file exists; pass --force to replace it", e.getMessage());
        assertEquals("old", Files.readString(file));
        OutputFile.of("--pcapng", file, true).write("new".getBytes());
        assertEquals("new", Files.readString(file));
        assertEquals("rw-------", mode(file), "a replaced file is a new file, private");
    }

    @Test
    void aNewFileIsPrivateUnlessItIsACertificate() throws Exception {
        Path json = dir.resolve("s.json");
        OutputFile.of("--json", json, false).write("{}".getBytes());
        assertEquals("rw-------", mode(json));
        try (EventFileWriter w = new EventFileWriter(dir.resolve("e.bin"))) {
            assertEquals(0, w.written());
        }
        assertEquals("rw-------", mode(dir.resolve("e.bin")));
        Path pem = dir.resolve("ca.pem");
        OutputFile.of("--dir", pem, false).readableByAll().write("x".getBytes());
        assertEquals("rw-r--r--", mode(pem));
    }

    @Test
    void aMissingDirectoryADirectoryAndABlockDeviceAreRefused() throws Exception {
        Path missing = dir.resolve("no/such/s.json");
        OutputFileException e = assertThrows(OutputFileException.class, () -> OutputFile.of("--json", missing, true).check());
        assertEquals("--json " + missing + ": the directory " + dir.resolve("no/such") + " does not exist; create it first",
                e.getMessage());
        assertEquals("--json " + dir + ": it is a directory; name a file in it",
                assertThrows(OutputFileException.class, () -> OutputFile.of("--json", dir, true).check()).getMessage());
        Path block = Files.list(Path.of("/dev")).filter(p -> p.getFileName().toString().matches("loop\\d+|sd[a-z]|vd[a-z]|nvme0n1"))
                .findFirst().orElse(null);
        if (block != null) {
            assertTrue(assertThrows(OutputFileException.class, () -> OutputFile.of("--events", block, true).check())
                    .getMessage().endsWith("it is a block device or socket; name a regular file"));
        }
    }

    @Test
    void devicesFifosAndTheStandardStreamsAreWrittenAsTheyAre() throws Exception {
        assertEquals(OutputFile.Target.AS_IS, OutputFile.of("--json", Path.of("/dev/null"), false).check());
        assertEquals(OutputFile.Target.AS_IS, OutputFile.of("--json", Path.of("/dev/stdout"), false).check());
        OutputFile.of("--json", Path.of("/dev/null"), false).write("x".getBytes());
        OutputFile full = OutputFile.of("--events", Path.of("/dev/full"), false);
        assertThrows(OutputFileException.class, () -> full.write("x".getBytes()), "/dev/full opens and fails on write");
        full.deleteIfCreated();
        assertTrue(Files.exists(Path.of("/dev/full")), "a device is never removed");

        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                assertArrayEquals("through".getBytes(), Files.readAllBytes(fifo));
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        });
        OutputFile.of("--json", fifo, false).write("through".getBytes());
        reader.join();
        assertTrue(Files.exists(fifo));
        assertFalse(Files.isRegularFile(fifo));
        assertThrows(OutputFileException.class, () -> OutputFile.of("--store", fifo, true).regularOnly().check());
    }
}
