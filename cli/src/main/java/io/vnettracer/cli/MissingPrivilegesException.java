package io.vnettracer.cli;

import io.vnettracer.bpf.features.Capability;
import java.util.List;

/** A subcommand that needs the kernel was started without the capabilities for it. */
final class MissingPrivilegesException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient List<Capability> missing;

    MissingPrivilegesException(String message, List<Capability> missing) {
        super(message);
        this.missing = List.copyOf(missing);
    }

    List<Capability> missing() {
        return missing;
    }
}
