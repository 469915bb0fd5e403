package io.vnettracer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vnettracer.bpf.features.Feature;
import io.vnettracer.bpf.features.Features;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TracerNeedsTest {
    private static Map<String, Feature> supported(String... names) {
        Map<String, Feature> m = new HashMap<>();
        for (String n : new Features().names()) {
            m.put(n, Feature.no(n, "test"));
        }
        for (String n : names) {
            m.put(n, Feature.yes(n, "test"));
        }
        return m;
    }

    private static List<String> unmet(Map<String, Feature> features) {
        return TracerNeeds.unmet(features).stream().map(TracerNeeds.Need::describe).toList();
    }

    @Test
    void eitherAttachKindMeetsANeed() {
        String[] base = {Features.KERNEL_VERSION, Features.JDK, Features.PRIVILEGES, Features.BTF, Features.RING_BUFFER};
        assertEquals(List.of(), unmet(supported(concat(base, Features.LEGACY_TC, Features.RAW_TP))));
        assertEquals(List.of(), unmet(supported(concat(base, Features.TCX, Features.TP_BTF))));
        assertEquals(List.of("one of tcx, legacy-tc (interface probes and packet tags)"),
                unmet(supported(concat(base, Features.TP_BTF))));
    }

    @Test
    void optionalFeaturesAreNeverNeeded() {
        for (String optional : List.of(Features.BPFFS, Features.TRACEFS, Features.CGROUP_V2, Features.FENTRY,
                Features.SOCK_OPS, Features.CGROUP_SKB, Features.XDP, Features.SOCKET_FILTER)) {
            assertEquals(false, TracerNeeds.isNeeded(optional), optional);
        }
    }

    @Test
    void aMissingFeatureCountsAsUnsupported() {
        assertEquals(TracerNeeds.NEEDS.size(), TracerNeeds.unmet(Map.of()).size());
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
