package io.vnettracer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** certs, and what collect and agent refuse before they reach any agent or kernel (exit 2). */
class RemoteCommandsTest {
    @TempDir
    Path dir;

    @Test
    void certsWritesACaAndAPairPerPartyWithPrivateKeys() {
        CommandLineRun run = CommandLineRun.of("certs", "--dir", dir.resolve("tls").toString(), "--node", "vm1", "--node", "vm2");
        assertEquals(0, run.exitCode(), run.err());
        for (String name : new String[] {"ca", "vm1", "vm2", "collector"}) {
            assertTrue(Files.exists(dir.resolve("tls").resolve(name + ".pem")), name);
        }
        assertEquals("rw-------", permissions(dir.resolve("tls/vm2.key")));
        CommandLineRun again = CommandLineRun.of("certs", "--dir", dir.resolve("tls").toString(), "--node", "vm3");
        assertEquals(2, again.exitCode());
        assertEquals("vnettracer certs: --dir " + dir.resolve("tls/ca.pem") + ": the file exists; pass --force to replace it\n",
                again.err());
    }

    @Test
    void collectRefusesAScriptItCannotSplit() throws Exception {
        CommandLineRun certs = CommandLineRun.of("certs", "--dir", dir.resolve("tls").toString(), "--node", "vm1");
        assertEquals(0, certs.exitCode(), certs.err());
        Path script = Files.writeString(dir.resolve("s.vnt"), "probe out dev:eth0:egress\n");
        CommandLineRun run = CommandLineRun.of("collect", "--agent", "vm1=127.0.0.1:1", "--tls-dir", dir.resolve("tls").toString(),
                "--script", script.toString(), "--state", dir.resolve("state").toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("probe 'out': name it NODE/NAME"), run.err());

        CommandLineRun badAgent = CommandLineRun.of("collect", "--agent", "vm1", "--tls-dir", dir.toString(),
                "--script", script.toString(), "--state", dir.resolve("state").toString());
        assertEquals(2, badAgent.exitCode());
        assertTrue(badAgent.err().contains("give NODE=HOST:PORT"), badAgent.err());
    }

    @Test
    void collectRefusesAStoreThatExistsBeforeItTracesAnything() throws Exception {
        Path script = Files.writeString(dir.resolve("s.vnt"), "probe vm1/out dev:eth0:egress\n");
        Path store = Files.writeString(dir.resolve("old.duckdb"), "a user's earlier trace");
        CommandLineRun run = CommandLineRun.of("collect", "--agent", "vm1=127.0.0.1:1", "--tls-dir", dir.resolve("tls").toString(),
                "--script", script.toString(), "--state", dir.resolve("state").toString(), "--store", store.toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("--store " + store + ": the file exists; pass --force to replace it"), run.err());
        assertEquals("a user's earlier trace", Files.readString(store), "the existing file is left as it was");
        assertTrue(!Files.exists(dir.resolve("state")), "no state directory: nothing was started");
    }

    @Test
    void agentRefusesAPrometheusPortItCannotServe() throws Exception {
        try (java.net.ServerSocket busy = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CommandLineRun run = CommandLineRun.of("agent", "--node", "vm1", "--tls-dir", dir.toString(),
                    "--prometheus", "127.0.0.1:" + busy.getLocalPort());
            assertEquals(2, run.exitCode(), run.err());
            assertTrue(run.err().contains("--prometheus: cannot serve Prometheus metrics on 127.0.0.1:" + busy.getLocalPort()),
                    run.err());
        }
        CommandLineRun bad = CommandLineRun.of("agent", "--node", "vm1", "--tls-dir", dir.toString(), "--prometheus", "x:y");
        assertEquals(2, bad.exitCode(), bad.err());
        assertTrue(bad.err().contains("--prometheus"), bad.err());
    }

    /** Before the check, the agent started and every collector's handshake failed. */
    @Test
    void agentRefusesToStartWhenItsKeyIsNotItsCertificates() throws Exception {
        io.vnettracer.bpf.testing.Root.assume();
        Path tls = dir.resolve("tls");
        CommandLineRun certs = CommandLineRun.of("certs", "--dir", tls.toString(), "--node", "vm1", "--node", "vm2");
        assertEquals(0, certs.exitCode(), certs.err());
        Files.copy(tls.resolve("vm2.key"), tls.resolve("vm1.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        CommandLineRun run = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30),
                () -> CommandLineRun.of("agent", "--node", "vm1", "--tls-dir", tls.toString(), "--listen", "127.0.0.1:0"));
        assertEquals(2, run.exitCode(), run.err());
        assertEquals("vnettracer agent: the key " + tls.resolve("vm1.key") + " does not belong to the certificate "
                + tls.resolve("vm1.pem") + " (its public key is another); issue the pair again with 'vnettracer certs --dir "
                + tls + " --node vm1'\n", run.err());
    }

    private static String permissions(Path p) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
