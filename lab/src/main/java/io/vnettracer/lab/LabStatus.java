package io.vnettracer.lab;

import java.util.List;

/**
 * What of a lab exists: one {@link Item} per thing its topology asks for, plus leftovers that
 * carry its marker ({@link LabMarker}) but that the topology does not have (after a killed {@code up}, or when no
 * topology is known).
 */
public record LabStatus(String name, Health health, boolean hasStateFile, List<Item> items, List<String> leftovers) {
    public enum Health {
        /** Everything the topology asks for exists. */
        UP,
        /** Some of it exists, or something carrying the lab's marker does. */
        PARTIAL,
        /** Nothing of the lab exists, not even its state file. */
        ABSENT
    }

    /** One thing of the lab: {@code kind} (namespace, vif, port, shaping, loss, cgroup, contention), what it is, whether it is as asked. */
    public record Item(String vm, String kind, String name, boolean ok, String detail) {}
}
