package io.vnettracer.bpf.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU counts as the kernel's per-CPU maps see them. */
public final class Cpus {
    private static final int POSSIBLE = parseRangeList(read("/sys/devices/system/cpu/possible"));

    private Cpus() {}

    /** Number of possible CPUs: the number of slots of a per-CPU map value. */
    public static int possible() {
        return POSSIBLE;
    }

    /** Counts CPUs in a list such as {@code 0-3,8,10-11}; ids above the count still take slots up to the highest. */
    static int parseRangeList(String list) {
        int highest = -1;
        for (String part : list.strip().split(",")) {
            if (part.isEmpty()) {
                continue;
            }
            int dash = part.indexOf('-');
            int last = Integer.parseInt(dash < 0 ? part : part.substring(dash + 1));
            highest = Math.max(highest, last);
        }
        if (highest < 0) {
            throw new IllegalStateException("no CPUs in '" + list + "'");
        }
        return highest + 1;
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + path + " to size per-CPU maps", e);
        }
    }
}
