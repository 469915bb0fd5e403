package io.vnettracer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.testing.Root;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Kafka address where no broker listens: exit 2 with the address in the message, nothing attached. */
class KafkaBadInputTest {
    private static String deadAddress() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return "127.0.0.1:" + s.getLocalPort();
        }
    }

    @Test
    void traceWithoutABrokerAttachesNothing(@TempDir Path dir) throws Exception {
        Root.assume();
        String kafka = deadAddress();
        int before = BpfDescriptors.programsAndLinks();
        CommandLineRun run = CommandLineRun.of("trace", "--run-dir", dir.toString(), "--probe", "d=drops",
                "--kafka", kafka, "--duration", "1s");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("vnettracer trace: --kafka " + kafka + ": "), run.err());
        assertEquals(before, BpfDescriptors.programsAndLinks(), "nothing attached");
    }

    @Test
    void collectWithoutABrokerIsBadInput() throws Exception {
        String kafka = deadAddress();
        CommandLineRun run = CommandLineRun.of("collect-kafka", "--bootstrap", kafka, "--topic", "t", "--group", "g");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("vnettracer collect-kafka: --bootstrap " + kafka + " --topic t: "), run.err());
    }
}
