package io.vnettracer.bpf.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class MountTableTest {
    private static final String MOUNTS = """
            sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
            tmpfs /sys/fs/cgroup tmpfs rw,relatime,mode=755 0 0
            cgroup /sys/fs/cgroup/cpu cgroup rw,relatime,cpu 0 0
            cgroup2 /sys/fs/cgroup/unified cgroup2 rw,relatime 0 0
            none /mnt/my\\040bpf bpf rw,relatime,mode=700 0 0
            """;

    @Test
    void findsMountsByTypeNotByName() {
        MountTable t = MountTable.parse(MOUNTS);
        assertEquals(5, t.mounts().size());
        assertEquals("/sys/fs/cgroup/unified", t.firstOfType("cgroup2").orElseThrow().mountPoint());
        assertEquals("/sys/fs/cgroup/cpu", t.firstOfType("cgroup").orElseThrow().mountPoint());
        assertEquals(Optional.empty(), t.firstOfType("tracefs"));
    }

    @Test
    void decodesOctalEscapesInPaths() {
        assertEquals("/mnt/my bpf", MountTable.parse(MOUNTS).firstOfType("bpf").orElseThrow().mountPoint());
        assertEquals("a\\b", MountTable.unescape("a\\134b"));
        assertEquals("tab\there", MountTable.unescape("tab\\011here"));
        assertEquals("not\\8escape", MountTable.unescape("not\\8escape"));
        assertEquals("end\\04", MountTable.unescape("end\\04"));
    }

    @Test
    void verdictSaysWhereOrHowToMount() {
        MountTable t = MountTable.parse(MOUNTS);
        Feature cg = Features.mounted("cgroup-v2", "cgroup2", t, "mount it");
        assertTrue(cg.supported());
        assertEquals("mounted at /sys/fs/cgroup/unified", cg.reason());
        Feature tr = Features.mounted("tracefs", "tracefs", t, "mount -t tracefs tracefs /sys/kernel/tracing");
        assertFalse(tr.supported());
        assertTrue(tr.reason().contains("mount -t tracefs tracefs /sys/kernel/tracing"), tr.reason());
    }

    @Test
    void readsThisProcessesMounts() {
        // Every Linux process sees a proc mount, or it could not have read the table.
        assertTrue(MountTable.ofCurrentProcess().firstOfType("proc").isPresent());
    }
}
