package io.vnettracer.remote.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The collector's state directory: private, its own files only, no links followed, no path in a node name. */
class CollectorStateTest {
    @TempDir
    Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
    }

    @Test
    void aNewStateIsPrivateAndItsFilesTooAndLinksAreRefused() throws Exception {
        CollectorState state = new CollectorState(dir.resolve("state"));
        assertEquals("rwx------", mode(state.dir()));
        String id = state.newTraceId();
        assertEquals(id, state.traceId());
        assertEquals("rw-------", mode(state.dir().resolve("trace.id")));
        try (DurableLog log = DurableLog.open(state.log("vm1"))) {
            assertEquals(0, log.lastSequence());
        }
        assertEquals("rw-------", mode(state.dir().resolve("vm1.log")));

        Path target = Files.writeString(dir.resolve("precious"), "keep");
        Files.createSymbolicLink(state.dir().resolve("vm2.log"), target);
        assertThrows(IllegalArgumentException.class, () -> state.log("vm2"));
        assertThrows(IllegalArgumentException.class, () -> state.log("../vm3"));
        Path linkedState = Files.createSymbolicLink(dir.resolve("linked"), state.dir());
        assertEquals("--state " + linkedState + ": it is a symbolic link; name the directory itself",
                assertThrows(IllegalArgumentException.class, () -> new CollectorState(linkedState)).getMessage());
        assertEquals("keep", Files.readString(target));
    }
}
