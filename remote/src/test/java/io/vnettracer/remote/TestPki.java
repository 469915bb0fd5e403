package io.vnettracer.remote;

import io.vnettracer.remote.tls.CertificateAuthority;
import io.vnettracer.remote.tls.TlsFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Certificates for tests: a CA, agents by name and the default collector. */
final class TestPki {
    private TestPki() {}

    static Path create(Path dir, String... nodes) {
        return createWithCollectors(dir, List.of(), nodes);
    }

    /**
     * Like {@link #create}, plus more collectors from the same CA: each {@code NAME} gets its pair in
     * {@code dir}; one given as {@code SUBDIR/NAME} gets it in {@code dir/SUBDIR} (with a copy of
     * ca.pem), so a second collector can carry a name already used (same subject, its own key).
     */
    static Path createWithCollectors(Path dir, List<String> collectors, String... nodes) {
        CertificateAuthority ca = CertificateAuthority.create(dir, "vnettracer test CA");
        for (String n : nodes) {
            ca.issueAgent(dir, n);
        }
        ca.issueCollector(dir, TlsFiles.DEFAULT_COLLECTOR);
        for (String c : collectors) {
            int slash = c.indexOf('/');
            Path where = slash < 0 ? dir : dir.resolve(c.substring(0, slash));
            if (slash >= 0) {
                try {
                    Files.createDirectories(where);
                    Files.copy(dir.resolve("ca.pem"), where.resolve("ca.pem"));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            ca.issueCollector(where, c.substring(slash + 1));
        }
        return dir;
    }
}
