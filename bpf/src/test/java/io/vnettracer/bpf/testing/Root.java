package io.vnettracer.bpf.testing;

import io.vnettracer.bpf.sys.LibC;
import org.junit.jupiter.api.Assumptions;

/** Kernel tests need root; as anyone else they are skipped with the reason. */
public final class Root {
    private Root() {}

    public static void assume() {
        Assumptions.assumeTrue(LibC.geteuid() == 0,
                "this test loads eBPF programs and creates namespaces: run it as root");
    }
}
