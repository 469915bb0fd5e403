package io.vnettracer.cli;

import io.vnettracer.bpf.features.Feature;
import io.vnettracer.bpf.features.Features;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Which features the tracer cannot run without. Everything else {@link Features} reports only
 * widens what can be traced (more probe kinds, pinning, namespaces' cgroups).
 */
final class TracerNeeds {
    /** One need, met by any one of {@code anyOf}. */
    record Need(List<String> anyOf, String why) {
        String describe() {
            return (anyOf.size() == 1 ? anyOf.getFirst() : "one of " + String.join(", ", anyOf)) + " (" + why + ")";
        }
    }

    static final List<Need> NEEDS = List.of(
            new Need(List.of(Features.KERNEL_VERSION), "ring buffers and CAP_BPF"),
            new Need(List.of(Features.JDK), "the runtime is built for it"),
            new Need(List.of(Features.PRIVILEGES), "loading and attaching programs"),
            new Need(List.of(Features.BTF), "probe offsets come from the kernel's BTF"),
            new Need(List.of(Features.RING_BUFFER), "records reach user space through it"),
            new Need(List.of(Features.TCX, Features.LEGACY_TC), "interface probes and packet tags"),
            new Need(List.of(Features.TP_BTF, Features.RAW_TP), "probes on the kernel's packet path"));

    private TracerNeeds() {}

    /** The needs none of whose features is supported; a feature absent from the map counts as unsupported. */
    static List<Need> unmet(Map<String, Feature> features) {
        List<Need> unmet = new ArrayList<>();
        for (Need need : NEEDS) {
            boolean met = need.anyOf().stream()
                    .map(features::get)
                    .anyMatch(f -> f != null && f.supported());
            if (!met) {
                unmet.add(need);
            }
        }
        return unmet;
    }

    /** Whether any need can be met by this feature; the others are optional. */
    static boolean isNeeded(String feature) {
        return NEEDS.stream().anyMatch(n -> n.anyOf().contains(feature));
    }
}
