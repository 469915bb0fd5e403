package io.vnettracer.remote.tls;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the files of one party live in a certificates directory: {@code ca.pem}, {@code NAME.pem}, {@code NAME.key}. */
public record TlsFiles(Path dir, String name) {
    public static final String DEFAULT_COLLECTOR = "collector";

    public Path ca() {
        return dir.resolve("ca.pem");
    }

    public Path caKey() {
        return dir.resolve("ca.key");
    }

    public Path certificate() {
        return dir.resolve(name + ".pem");
    }

    public Path key() {
        return dir.resolve(name + ".key");
    }

    /** Fails with what is missing and how to make it. */
    public void requireExisting() {
        for (Path p : new Path[] {ca(), certificate(), key()}) {
            if (!Files.isReadable(p)) {
                throw new IllegalArgumentException("no readable " + p + "; create the certificates with "
                        + "'vnettracer certs --dir " + dir + " --node " + name + "'");
            }
        }
    }
}
