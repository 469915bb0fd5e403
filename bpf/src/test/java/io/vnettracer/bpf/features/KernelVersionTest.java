package io.vnettracer.bpf.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KernelVersionTest {
    @Test
    void parsesReleasesAsDistributionsWriteThem() {
        assertEquals(new KernelVersion(6, 18, 44), KernelVersion.parse("6.18.44-fc-v657"));
        assertEquals(new KernelVersion(5, 15, 0), KernelVersion.parse("5.15.0-91-generic"));
        assertEquals(new KernelVersion(6, 10, 0), KernelVersion.parse("6.10.0-rc3"));
        assertEquals(new KernelVersion(4, 19, 0), KernelVersion.parse("4.19.0+"));
        assertEquals(new KernelVersion(6, 1, 0), KernelVersion.parse("6.1"));
        assertEquals(new KernelVersion(6, 1, 158), KernelVersion.parse("6.1.158\n"));
        assertEquals(new KernelVersion(5, 14, 0), KernelVersion.parse("5.14.0-427.el9.x86_64"));
    }

    @Test
    void rejectsTextThatIsNoRelease() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KernelVersion.parse("linux"));
        assertTrue(e.getMessage().contains("'linux'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> KernelVersion.parse(""));
        assertThrows(IllegalArgumentException.class, () -> KernelVersion.parse("6"));
        assertThrows(IllegalArgumentException.class, () -> KernelVersion.parse("99999999999.1.0"));
    }

    @Test
    void comparesNumericallyNotAsText() {
        assertTrue(KernelVersion.parse("6.10.0").atLeast(KernelVersion.parse("6.9.12")));
        assertTrue(KernelVersion.parse("5.8.0").atLeast(new KernelVersion(5, 8, 0)));
        assertFalse(KernelVersion.parse("5.4.280").atLeast(new KernelVersion(5, 8, 0)));
        assertEquals("6.18.44", KernelVersion.parse("6.18.44-fc-v657").toString());
    }

    @Test
    void verdictNamesTheReleaseAndTheMinimum() {
        Feature old = Features.kernelVersion("5.4.0-150-generic");
        assertFalse(old.supported());
        assertTrue(old.reason().contains("5.4.0-150-generic") && old.reason().contains("5.8.0"), old.reason());
        assertTrue(Features.kernelVersion("6.18.44-fc-v657").supported());
    }
}
