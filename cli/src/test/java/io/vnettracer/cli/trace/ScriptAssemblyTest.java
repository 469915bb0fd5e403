package io.vnettracer.cli.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.probe.script.IdentityMode;
import io.vnettracer.probe.script.TracingScript;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptAssemblyTest {
    @Test
    void flagsAddProbesAndReplaceFilterAndIdentity(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.vnt");
        Files.writeString(file, "identity tag\nfilter udp\nprobe a drops\nprobe b kernel:net_dev_queue filter tcp\n");
        TracingScript s = ScriptAssembly.assemble(file, List.of("c=kernel:netif_receive_skb:eth0"), null, null);
        assertEquals(List.of("a", "b", "c"), s.probes().stream().map(p -> p.name()).toList());
        assertEquals("udp", s.globalFilter());
        assertEquals(IdentityMode.TAG, s.identity());

        TracingScript replaced = ScriptAssembly.assemble(file, List.of(), "icmp", IdentityMode.FINGERPRINT);
        assertEquals("icmp", replaced.filterOf(replaced.probes().get(0)));
        assertEquals("tcp", replaced.filterOf(replaced.probes().get(1)), "a probe's own filter stays");
        assertEquals(IdentityMode.FINGERPRINT, replaced.identity());
    }

    @Test
    void flagErrors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("s.vnt");
        Files.writeString(file, "probe a drops\n");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ScriptAssembly.assemble(file, List.of("a=drops"), null, null))
                .getMessage().contains("a probe named 'a' is already defined"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ScriptAssembly.assemble(null, List.of(), null, null))
                .getMessage().startsWith("nothing to trace"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ScriptAssembly.probeOption("=drops"))
                .getMessage().contains("a probe needs a name"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ScriptAssembly.probeOption("x=dev:eth0"))
                .getMessage().contains("missing ':ingress' or ':egress'"));
        assertEquals(IdentityMode.TAG, ScriptAssembly.identity("tag"));
        assertThrows(IllegalArgumentException.class, () -> ScriptAssembly.identity("TAGS"));
    }
}
