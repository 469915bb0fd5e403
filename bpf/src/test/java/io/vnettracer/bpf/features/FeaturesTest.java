package io.vnettracer.bpf.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class FeaturesTest {
    @Test
    void reportsEveryCheckOnceInOrder() {
        Features features = new Features();
        List<Feature> all = features.probeAll();
        assertEquals(features.names(), all.stream().map(Feature::name).toList());
        assertEquals(List.of(Features.KERNEL_VERSION, Features.JDK, Features.PRIVILEGES, Features.BTF,
                Features.BPFFS, Features.TRACEFS, Features.CGROUP_V2), features.names().subList(0, 7));
        assertEquals(17, all.size());
        all.forEach(f -> assertFalse(f.reason().isBlank(), f.name() + " gives no reason"));
    }

    @Test
    void kernelVersionAgreesWithUname() {
        // os.version comes from uname(2); the check reads /proc/sys/kernel/osrelease.
        Feature f = new Features().probe(Features.KERNEL_VERSION);
        assertTrue(f.reason().startsWith(System.getProperty("os.version")), f.reason());
        assertEquals(KernelVersion.parse(System.getProperty("os.version")).atLeast(Features.MINIMUM_KERNEL),
                f.supported());
    }

    @Test
    void thisJdkIsTheOneTheBuildNeeds() {
        assertTrue(new Features().probe(Features.JDK).supported());
    }

    @Test
    void btfIsSupportedExactlyWhenTheKernelExportsIt() {
        assertEquals(Files.isReadable(Path.of("/sys/kernel/btf/vmlinux")),
                new Features().probe(Features.BTF).supported());
    }

    @Test
    void kernelChecksFindWhatThisKernelHas() {
        io.vnettracer.bpf.testing.Root.assume();
        Features features = new Features();
        // Linux 6.6 or later with BTF: everything the tracer builds on must be found.
        org.junit.jupiter.api.Assumptions.assumeTrue(
                KernelVersion.parse(System.getProperty("os.version")).atLeast(new KernelVersion(6, 6, 0)),
                "expectations written for kernels with TCX");
        for (String name : List.of(Features.RING_BUFFER, Features.TCX, Features.LEGACY_TC, Features.TP_BTF,
                Features.RAW_TP, Features.SOCK_OPS, Features.CGROUP_SKB, Features.XDP, Features.SOCKET_FILTER)) {
            Feature f = features.probe(name);
            assertTrue(f.supported(), name + ": " + f.reason());
        }
        Feature fentry = features.probe(Features.FENTRY);
        assertTrue(fentry.supported() || fentry.reason().contains("BPF_PROG_LOAD"),
                "an unsupported fentry names the refused command: " + fentry.reason());
    }

    @Test
    void theTcxProbeLeavesTheHostsLoopbackAlone() {
        io.vnettracer.bpf.testing.Root.assume();
        assertTrue(new Features().probe(Features.TCX).supported());
        assertEquals(0, io.vnettracer.bpf.link.TcxQuery.of(1, io.vnettracer.bpf.link.TcxDirection.INGRESS).count(),
                "the probe attached in a scratch namespace, not to this namespace's lo");
    }

    @Test
    void runsEachCheckOnceAndTurnsAFailureIntoAReason() {
        AtomicInteger runs = new AtomicInteger();
        Map<String, Supplier<Feature>> checks = new LinkedHashMap<>();
        checks.put("counted", () -> {
            runs.incrementAndGet();
            return Feature.yes("counted", "ok");
        });
        checks.put("broken", () -> {
            throw new IllegalStateException("probe map", new java.io.IOException("EPERM"));
        });
        checks.put("misnamed", () -> Feature.yes("other", "wrong name"));
        Features features = new Features(checks);

        Feature first = features.probe("counted");
        assertSame(first, features.probe("counted"));
        features.probeAll();
        assertEquals(1, runs.get());

        Feature broken = features.probe("broken");
        assertFalse(broken.supported());
        assertEquals("check failed: probe map: IOException EPERM", broken.reason());
        assertFalse(features.probe("misnamed").supported());
        assertThrows(IllegalArgumentException.class, () -> features.probe("nonexistent"));
    }
}
