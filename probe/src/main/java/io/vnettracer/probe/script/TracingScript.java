package io.vnettracer.probe.script;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A whole tracing script: its probes in path order (the order is only a hint; journeys order
 * events by time), a filter for probes without their own, and the identity mode.
 */
public record TracingScript(List<ProbeDefinition> probes, String globalFilter, IdentityMode identity) {
    public TracingScript {
        probes = List.copyOf(probes);
        Objects.requireNonNull(identity, "identity");
        Set<String> names = new LinkedHashSet<>();
        for (ProbeDefinition p : probes) {
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("two probes are named '" + p.name() + "'; names must be unique");
            }
        }
    }

    /** The filter a probe applies: its own, else the global one, else none (empty). */
    public String filterOf(ProbeDefinition probe) {
        if (probe.filter() != null) {
            return probe.filter();
        }
        return globalFilter == null ? "" : globalFilter;
    }
}
