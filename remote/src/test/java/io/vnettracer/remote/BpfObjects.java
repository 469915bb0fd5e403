package io.vnettracer.remote;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** BPF programs and links this process holds, counted from /proc/self/fdinfo (no bpftool needed). */
final class BpfObjects {
    private BpfObjects() {}

    static int programsAndLinks() {
        int n = 0;
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fdinfo"))) {
            for (Path fd : fds.toList()) {
                try {
                    String info = Files.readString(fd);
                    if (info.contains("\nprog_id:") || info.contains("\nlink_id:") || info.contains("\nlink_type:")) {
                        n++;
                    }
                } catch (IOException closedMeanwhile) {
                    // an fd closed while we listed: not ours to count
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return n;
    }
}
