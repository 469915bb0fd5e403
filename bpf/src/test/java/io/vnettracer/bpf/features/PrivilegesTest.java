package io.vnettracer.bpf.features;

import static io.vnettracer.bpf.features.Capability.CAP_BPF;
import static io.vnettracer.bpf.features.Capability.CAP_NET_ADMIN;
import static io.vnettracer.bpf.features.Capability.CAP_PERFMON;
import static io.vnettracer.bpf.features.Capability.CAP_SYS_ADMIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class PrivilegesTest {
    /** The relevant lines of a /proc/self/status, as Linux 6.x prints them. */
    private static String status(String uids, String capEff) {
        return "Name:\tjava\nUmask:\t0022\nState:\tR (running)\nUid:\t" + uids + "\nGid:\t0\t0\t0\t0\n"
                + "CapInh:\t0000000000000000\nCapPrm:\t" + capEff + "\nCapEff:\t" + capEff + "\n"
                + "CapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\n";
    }

    @Test
    void decodesAFullRootSet() {
        Privileges p = Privileges.parseStatus(status("0\t0\t0\t0", "000001ffffffffff"));
        assertEquals(0, p.effectiveUid());
        assertTrue(p.isRoot());
        assertEquals(List.of(), p.missing(Features.NEEDED_CAPABILITIES));
        assertTrue(Features.privileges(p).supported());
    }

    @Test
    void decodesEachCapabilityFromItsOwnBit() {
        // Only CAP_NET_ADMIN (bit 12) and CAP_BPF (bit 39).
        long set = Privileges.parseCapabilitySet("0000008000001000");
        Privileges p = new Privileges(1000, set);
        assertTrue(p.has(CAP_NET_ADMIN));
        assertTrue(p.has(CAP_BPF));
        assertFalse(p.has(CAP_PERFMON));
        assertFalse(p.has(CAP_SYS_ADMIN));
        assertEquals(List.of(CAP_PERFMON, CAP_SYS_ADMIN), p.missing(Features.NEEDED_CAPABILITIES));
    }

    @Test
    void aSetWithoutBit24StillHasEverythingTheTracerNeeds() {
        // This machine's root shell: all capabilities up to 40 except CAP_SYS_RESOURCE (24).
        Privileges p = new Privileges(0, Privileges.parseCapabilitySet("000001fffeffffff"));
        assertEquals(List.of(), p.missing(Features.NEEDED_CAPABILITIES));
    }

    @Test
    void anUnprivilegedUserIsToldWhatIsMissing() {
        Privileges p = Privileges.parseStatus(status("1000\t1000\t1000\t1000", "0000000000000000"));
        assertEquals(1000, p.effectiveUid());
        Feature f = Features.privileges(p);
        assertFalse(f.supported());
        assertEquals("euid 1000, missing CAP_BPF, CAP_NET_ADMIN, CAP_PERFMON, CAP_SYS_ADMIN (run as root)",
                f.reason());
    }

    @Test
    void rootWithoutCapabilitiesIsNotEnough() {
        Feature f = Features.privileges(Privileges.parseStatus(status("0\t0\t0\t0", "00000000a80425fb")));
        assertFalse(f.supported());
        assertTrue(f.reason().contains("missing CAP_BPF, CAP_NET_ADMIN, CAP_PERFMON, CAP_SYS_ADMIN"), f.reason());
    }

    @Test
    void theEffectiveUidIsTheSecondField() {
        assertEquals(0, Privileges.parseStatus(status("1000\t0\t1000\t0", "0")).effectiveUid());
    }

    @Test
    void rejectsMalformedSets() {
        assertThrows(IllegalArgumentException.class, () -> Privileges.parseCapabilitySet("xyz"));
        assertThrows(IllegalArgumentException.class, () -> Privileges.parseCapabilitySet("10000000000000000"));
        assertThrows(IllegalArgumentException.class, () -> Privileges.parseStatus("Name:\tjava\n"));
    }

    @Test
    void readsThisProcess() {
        Privileges p = Privileges.ofCurrentProcess();
        assertEquals(p.isRoot(), "root".equals(System.getProperty("user.name")));
    }
}
