package io.vnettracer.probe.script;

import io.vnettracer.probe.spec.ProbeSpec;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One probe of a script.
 *
 * @param filter the probe's own filter expression, or null to use the script's global one
 * @param sampleEvery record one packet in this many (1 = every packet)
 * @param tagPart     its part in tag identity as the script gives it, or null: decided by script order
 */
public record ProbeDefinition(String name, ProbeSpec spec, String filter, Set<Action> actions, int sampleEvery,
                              TagPart tagPart) {
    public ProbeDefinition(String name, ProbeSpec spec, String filter, Set<Action> actions, int sampleEvery) {
        this(name, spec, filter, actions, sampleEvery, null);
    }

    public ProbeDefinition {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(spec, "spec");
        actions = actions.isEmpty() ? EnumSet.noneOf(Action.class) : EnumSet.copyOf(actions);
        if (sampleEvery < 1) {
            throw new IllegalArgumentException("probe '" + name + "': sample 1/" + sampleEvery + " is not a rate; use 1/N with N >= 1");
        }
    }

    /** A probe that records every packet. */
    public static ProbeDefinition recording(String name, ProbeSpec spec) {
        return new ProbeDefinition(name, spec, null, EnumSet.of(Action.RECORD, Action.COUNT), 1);
    }

    public ProbeDefinition withFilter(String newFilter) {
        return new ProbeDefinition(name, spec, newFilter, actions, sampleEvery, tagPart);
    }

    public ProbeDefinition withSampleEvery(int n) {
        return new ProbeDefinition(name, spec, filter, actions, n, tagPart);
    }

    public ProbeDefinition withActions(Set<Action> newActions) {
        return new ProbeDefinition(name, spec, filter, newActions, sampleEvery, tagPart);
    }

    public ProbeDefinition withTagPart(TagPart part) {
        return new ProbeDefinition(name, spec, filter, actions, sampleEvery, part);
    }
}
