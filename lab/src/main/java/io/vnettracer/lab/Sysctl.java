package io.vnettracer.lab;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Global kernel settings the lab changes, read and written through /proc/sys (sysctl(8) names). */
final class Sysctl {
    private static final Path PROC_SYS = Path.of("/proc/sys");

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

    private static Path file(String key) {
        return PROC_SYS.resolve(key.replace('.', '/'));
    }
}
