package io.vnettracer.lab;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Global kernel settings the lab changes, read and written through /proc/sys (sysctl(8) names).
 *
 * <p>The value a setting had before any lab changed it is also kept machine-wide, in {@link
 * #ORIGINALS}, until it is put back: a lab whose process was killed before its {@code down} leaves
 * the setting changed, and the next lab must record the machine's value, not the leftover.
 */
final class Sysctl {
    private static final Path PROC_SYS = Path.of("/proc/sys");
    static final Path ORIGINALS = Path.of("/run/vnettracer/sysctl-originals");
    /** Every setting a lab changes (and so the only ones a state file may have {@code down} put back). */
    static final java.util.Set<String> CHANGED_BY_LABS = java.util.Set.of(Hypervisor.RR_TIMESLICE_SYSCTL,
            OvsSwitch.SEND_BUFFER_SYSCTL);

    private Sysctl() {}

    /**
     * The value, read in one read(2): a sysctl's handler answers a read at a non-zero offset with
     * end of file, so a reader that probes with one byte first (Files.readString on a file whose
     * size is 0) would see only the first digit.
     */
    static String read(String key) {
        try (InputStream in = Files.newInputStream(file(key))) {
            byte[] buffer = new byte[4096];
            int n = in.read(buffer);
            return n <= 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new LabException("cannot read " + key + " (" + file(key) + "): " + e.getMessage(), e);
        }
    }

    static void write(String key, String value) {
        try {
            Files.writeString(file(key), value);
        } catch (IOException e) {
            throw new LabException("cannot set " + key + " to " + value + " (" + file(key) + "): " + e.getMessage()
                    + "; the lab needs root", e);
        }
    }

    /**
     * The value {@code key} had before any lab changed it: the machine-wide record if there is one,
     * else its value now, which is then recorded.
     */
    static String original(String key) {
        Path record = ORIGINALS.resolve(key);
        try {
            if (Files.exists(record)) {
                return Files.readString(record).strip();
            }
            String now = read(key);
            Files.createDirectories(ORIGINALS);
            Files.writeString(record, now);
            return now;
        } catch (IOException e) {
            throw new LabException("cannot keep the original value of " + key + " in " + record + ": " + e.getMessage(), e);
        }
    }

    /** Puts {@code key} back to {@code value} and forgets the machine-wide record. */
    static void restore(String key, String value) {
        write(key, value);
        try {
            Files.deleteIfExists(ORIGINALS.resolve(key));
        } catch (IOException e) {
            throw new LabException("cannot remove " + ORIGINALS.resolve(key) + ": " + e.getMessage(), e);
        }
    }

    private static Path file(String key) {
        return PROC_SYS.resolve(key.replace('.', '/'));
    }
}
