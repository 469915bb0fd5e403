package io.vnettracer.cli.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    @Test
    void prepareMakesAPrivateDirectoryAndRemovesStaleSockets(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("run");
        RunDirectory run = new RunDirectory(dir);
        long dead = deadPid();
        Files.createDirectories(dir);
        Files.createFile(run.socketOf(dead));
        Files.createFile(dir.resolve("notes.sock"));
        Path mine = run.prepare();
        assertEquals(dir.resolve(ProcessHandle.current().pid() + ".sock"), mine);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertFalse(Files.exists(run.socketOf(dead)), "a dead trace's socket is removed");
        assertTrue(Files.exists(dir.resolve("notes.sock")), "files that are not ours stay");
    }

    @Test
    void refusesADirectoryOfAnotherUserOrASymbolicLink(@TempDir Path tmp) throws Exception {
        io.vnettracer.bpf.testing.Root.assume(); // chown
        Path foreign = tmp.resolve("foreign");
        Files.createDirectories(foreign);
        Files.setOwner(foreign, foreign.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        var modeBefore = Files.getPosixFilePermissions(foreign);
        java.io.UncheckedIOException owned = assertThrows(java.io.UncheckedIOException.class, () -> new RunDirectory(foreign).prepare());
        assertEquals("cannot prepare " + foreign + " for the control socket: " + foreign + " belongs to nobody, not to root"
                + " (this process's user), who could reach the control socket through it: remove it or choose another --run-dir",
                owned.getMessage());

        Path link = tmp.resolve("link");
        Files.createSymbolicLink(link, Files.createDirectories(tmp.resolve("elsewhere")));
        java.io.UncheckedIOException linked = assertThrows(java.io.UncheckedIOException.class, () -> new RunDirectory(link).prepare());
        assertTrue(linked.getMessage().contains(link + " is a symbolic link; the control socket goes only into a real directory"),
                linked.getMessage());
        assertEquals(modeBefore, Files.getPosixFilePermissions(foreign), "a refused directory is left as it was");
    }

    @Test
    void choosingATrace(@TempDir Path dir) throws Exception {
        RunDirectory run = new RunDirectory(dir);
        long self = ProcessHandle.current().pid();
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> run.choose(null));
        assertTrue(none.getMessage().startsWith("no trace is running"), none.getMessage());

        Files.createFile(run.socketOf(deadPid()));
        Files.createFile(run.socketOf(self));
        assertEquals(run.socketOf(self), run.choose(null), "the dead one is ignored");
        assertEquals(run.socketOf(self), run.choose(self));

        Process other = new ProcessBuilder("sleep", "30").start();
        try {
            Files.createFile(run.socketOf(other.pid()));
            assertEquals(List.of(Math.min(self, other.pid()), Math.max(self, other.pid())), run.liveTraces());
            IllegalArgumentException two = assertThrows(IllegalArgumentException.class, () -> run.choose(null));
            assertTrue(two.getMessage().startsWith("2 traces are running (pids "), two.getMessage());
            assertTrue(two.getMessage().endsWith("); choose one with --pid"), two.getMessage());
            assertEquals(run.socketOf(other.pid()), run.choose(other.pid()));
            IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> run.choose(1L));
            assertTrue(wrong.getMessage().startsWith("no trace with pid 1 listens in " + dir + "; running traces: "), wrong.getMessage());
        } finally {
            other.destroyForcibly();
        }
    }
}
