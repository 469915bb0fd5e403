package io.vnettracer.remote;

import io.vnettracer.remote.tls.CertificateAuthority;
import io.vnettracer.remote.tls.TlsFiles;
import java.nio.file.Path;

/** Certificates for tests: a CA, agents by name and the default collector. */
final class TestPki {
    private TestPki() {}

    static Path create(Path dir, String... nodes) {
        CertificateAuthority ca = CertificateAuthority.create(dir, "vnettracer test CA");
        for (String n : nodes) {
            ca.issueAgent(dir, n);
        }
        ca.issueCollector(dir, TlsFiles.DEFAULT_COLLECTOR);
        return dir;
    }
}
