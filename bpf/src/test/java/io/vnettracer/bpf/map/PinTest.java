package io.vnettracer.bpf.map;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vnettracer.bpf.sys.Bpf;
import io.vnettracer.bpf.sys.Fd;
import io.vnettracer.bpf.features.MountTable;
import io.vnettracer.bpf.testing.Root;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A map pinned on bpffs is the same map when opened again by path. */
class PinTest {
    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void aPinnedMapIsFoundAgainByPath() throws Exception {
        Path bpffs = MountTable.ofCurrentProcess().firstOfType("bpf").map(m -> Path.of(m.mountPoint())).orElse(null);
        Assumptions.assumeTrue(bpffs != null, "no bpffs mounted (scripts/setup mounts it at /sys/fs/bpf)");
        Path pin = bpffs.resolve("vkt_pin_test");
        Files.deleteIfExists(pin);
        try (BpfMap map = BpfMap.create(MapSpec.array("pinned", 8, 1))) {
            map.typed(Codec.U32, Codec.U64).put(0, 1234L);
            map.pin(pin.toString());
            try (Fd again = new Fd(Bpf.getPinned(pin.toString()))) {
                assertEquals(map.id(), BpfMap.idOf(again));
            }
        } finally {
            Files.deleteIfExists(pin);
        }
    }
}
