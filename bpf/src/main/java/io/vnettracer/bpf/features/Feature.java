package io.vnettracer.bpf.features;

import java.util.Objects;

/**
 * The answer to one check: whether this machine supports {@code name}, and why (what was found,
 * or what is missing and how to get it).
 */
public record Feature(String name, boolean supported, String reason) {
    public Feature {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(reason, "reason");
    }

    public static Feature yes(String name, String reason) {
        return new Feature(name, true, reason);
    }

    public static Feature no(String name, String reason) {
        return new Feature(name, false, reason);
    }
}
