package io.vnettracer.journey;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The one-line reasons a trace's figures are less than exact: probes that lost ring-buffer records
 * or sampled. Their missing sightings are counted {@code unaccounted}, so a reader who sees a line
 * here knows the losses are bounded, not measured.
 */
public final class Degradation {
    private Degradation() {}

    /** One line per cause, from what the probes report; empty when none applies. */
    public static List<String> of(List<Summary.Probe> probes) {
        List<String> out = new ArrayList<>();
        List<Summary.Probe> ring = probes.stream().filter(p -> p.lost() > 0).toList();
        if (!ring.isEmpty()) {
            long records = ring.stream().mapToLong(Summary.Probe::lost).sum();
            out.add("ring buffer: " + records + " records lost at " + (ring.size() == 1 ? "probe " : "probes ")
                    + ring.stream().map(Summary.Probe::name).collect(Collectors.joining(", ")));
        }
        List<Summary.Probe> sampled = probes.stream().filter(p -> p.sampleEvery() > 1).toList();
        if (!sampled.isEmpty()) {
            out.add("sampling: " + sampled.stream().map(p -> "probe " + p.name() + " 1 in " + p.sampleEvery())
                    .collect(Collectors.joining(", ")));
        }
        return List.copyOf(out);
    }
}
