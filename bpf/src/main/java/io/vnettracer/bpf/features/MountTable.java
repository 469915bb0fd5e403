package io.vnettracer.bpf.features;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The mounts visible to this process, from /proc/self/mounts (fstab(5) format: source, mount
 * point, type, options, two numbers; spaces and other special characters in paths as octal
 * escapes such as {@code \040}).
 */
public record MountTable(List<Mount> mounts) {
    private static final Path SELF_MOUNTS = Path.of("/proc/self/mounts");

    /** One line of the table. */
    public record Mount(String source, String mountPoint, String type) {}

    public MountTable {
        mounts = List.copyOf(mounts);
    }

    public static MountTable ofCurrentProcess() {
        try {
            return parse(Files.readString(SELF_MOUNTS));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + SELF_MOUNTS, e);
        }
    }

    public static MountTable parse(String text) {
        List<Mount> mounts = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 3) {
                mounts.add(new Mount(unescape(f[0]), unescape(f[1]), unescape(f[2])));
            }
        }
        return new MountTable(mounts);
    }

    /** The first mount of a filesystem type, e.g. "cgroup2", "bpf", "tracefs". */
    public Optional<Mount> firstOfType(String type) {
        return mounts.stream().filter(m -> m.type().equals(type)).findFirst();
    }

    /** Decodes the kernel's octal escapes (fs/proc_namespace.c mangles ' ', '\t', '\n', '\\'). */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder sb = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                sb.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '7') {
                return false;
            }
        }
        return true;
    }
}
