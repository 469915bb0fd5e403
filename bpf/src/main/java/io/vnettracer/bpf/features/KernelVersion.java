package io.vnettracer.bpf.features;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A kernel release as major.minor.patch, parsed from the text uname(2) and
 * /proc/sys/kernel/osrelease report (e.g. {@code 6.18.44-fc-v657}, {@code 5.15.0-91-generic},
 * {@code 6.10.0-rc3}). Anything after the third number is the distribution's and is ignored.
 */
public record KernelVersion(int major, int minor, int patch) implements Comparable<KernelVersion> {
    private static final Pattern RELEASE = Pattern.compile("^(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

    public KernelVersion {
        if (major < 0 || minor < 0 || patch < 0) {
            throw new IllegalArgumentException("negative kernel version " + major + "." + minor + "." + patch);
        }
    }

    /** Parses a release string; a missing patch level (as in {@code 6.1}) reads as 0. */
    public static KernelVersion parse(String release) {
        String text = release == null ? "" : release.strip();
        Matcher m = RELEASE.matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException(
                    "not a kernel release: '" + text + "' (expected major.minor[.patch], e.g. 6.8.0-45-generic)");
        }
        try {
            return new KernelVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                    m.group(3) == null ? 0 : Integer.parseInt(m.group(3)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("kernel release number out of range: '" + text + "'", e);
        }
    }

    public boolean atLeast(KernelVersion other) {
        return compareTo(other) >= 0;
    }

    @Override
    public int compareTo(KernelVersion o) {
        int c = Integer.compare(major, o.major);
        if (c == 0) {
            c = Integer.compare(minor, o.minor);
        }
        return c != 0 ? c : Integer.compare(patch, o.patch);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch;
    }
}
