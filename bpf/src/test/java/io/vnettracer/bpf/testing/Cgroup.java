package io.vnettracer.bpf.testing;

import io.vnettracer.bpf.features.MountTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** A throw-away cgroup v2 directory; removed on close (its processes must have exited). */
public final class Cgroup implements AutoCloseable {
    public final Path dir;

    public Cgroup(String name) throws IOException {
        Path root = MountTable.ofCurrentProcess().firstOfType("cgroup2").map(m -> Path.of(m.mountPoint())).orElse(null);
        Assumptions.assumeTrue(root != null, "no cgroup v2 hierarchy is mounted");
        this.dir = root.resolve(name);
        if (!Files.isDirectory(dir)) {
            Files.createDirectory(dir);
        }
    }

    @Override
    public void close() throws IOException {
        // rmdir of a cgroup whose last process just exited can race with its release.
        for (int i = 0; i < 50 && Files.exists(dir); i++) {
            try {
                Files.delete(dir);
            } catch (IOException busy) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
