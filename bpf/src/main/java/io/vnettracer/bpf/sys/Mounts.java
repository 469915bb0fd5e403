package io.vnettracer.bpf.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Where special filesystems (cgroup2, bpf, tracefs) are mounted, from /proc/self/mounts. */
public final class Mounts {
    public static final String CGROUP2 = "cgroup2";
    public static final String BPFFS = "bpf";
    public static final String TRACEFS = "tracefs";

    private Mounts() {}

    /** The first mount point of a filesystem type, if any. */
    public static Optional<Path> find(String fsType) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length > 2 && f[2].equals(fsType)) {
                    return Optional.of(Path.of(unescape(f[1])));
                }
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** /proc/self/mounts writes space, tab, newline and backslash as octal escapes. */
    private static String unescape(String field) {
        return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
