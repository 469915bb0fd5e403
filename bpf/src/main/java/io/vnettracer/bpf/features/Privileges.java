package io.vnettracer.bpf.features;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * A process's effective user id and effective capability set, as /proc/[pid]/status reports them
 * ({@code Uid:} real, effective, saved, filesystem; {@code CapEff:} 64 bits in hex; see proc(5)).
 *
 * <p>The kernel decides by capability, not by uid: root inside a container without CAP_BPF
 * cannot load programs. So callers ask {@link #has}, and the uid is only reported.
 */
public record Privileges(int effectiveUid, long effectiveCapabilities) {
    private static final Path SELF_STATUS = Path.of("/proc/self/status");

    /** Reads this process's privileges from /proc/self/status. */
    public static Privileges ofCurrentProcess() {
        try {
            return parseStatus(Files.readString(SELF_STATUS));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + SELF_STATUS + " for the process's capabilities", e);
        }
    }

    /** Parses the text of a /proc/[pid]/status file. */
    public static Privileges parseStatus(String status) {
        String uidLine = field(status, "Uid:");
        String[] uids = uidLine.trim().split("\\s+");
        if (uids.length < 2) {
            throw new IllegalArgumentException("Uid: line without an effective uid: '" + uidLine.trim() + "'");
        }
        return new Privileges(Integer.parseInt(uids[1]), parseCapabilitySet(field(status, "CapEff:")));
    }

    /** Decodes a capability set as /proc prints it: up to 16 hex digits, e.g. 000001ffffffffff. */
    public static long parseCapabilitySet(String hex) {
        String digits = hex.strip();
        if (digits.isEmpty() || digits.length() > 16) {
            throw new IllegalArgumentException("not a 64-bit capability set: '" + digits + "'");
        }
        try {
            return Long.parseUnsignedLong(digits, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a hexadecimal capability set: '" + digits + "'", e);
        }
    }

    private static String field(String status, String key) {
        for (String line : status.split("\n")) {
            if (line.startsWith(key)) {
                return line.substring(key.length());
            }
        }
        throw new IllegalArgumentException("no '" + key + "' line in the process status");
    }

    public boolean isRoot() {
        return effectiveUid == 0;
    }

    public boolean has(Capability capability) {
        return (effectiveCapabilities & (1L << capability.bit())) != 0;
    }

    /** Those of {@code needed} this process lacks, in the order given. */
    public List<Capability> missing(Collection<Capability> needed) {
        List<Capability> missing = new ArrayList<>();
        for (Capability c : needed) {
            if (!has(c)) {
                missing.add(c);
            }
        }
        return missing;
    }
}
