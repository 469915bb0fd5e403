package io.vnettracer.probe.program;

import io.vnettracer.probe.script.IdentityMode;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.probe.spec.ProbeSpec;
import java.util.List;

/**
 * What a device probe does with packet tags. In tag mode the script's probes are listed in path
 * order: the first device probe on an egress hook is the sender's first tagging point and writes
 * tags; the last device probe on an ingress hook is the receiver's interface and strips them before
 * the application can see them; every other device probe reads them. Probes added to a running
 * session read. A probe whose script line says {@code tag write|strip|read} has that part instead
 * (a node's share of a script over several kernels, where the collector decided the parts).
 */
public enum TagRole {
    NONE, READ, WRITE, STRIP;

    /** The role of {@code probe} within {@code probes} (the script, in path order). */
    public static TagRole of(ProbeDefinition probe, List<ProbeDefinition> probes, IdentityMode identity) {
        if (identity != IdentityMode.TAG || !(probe.spec() instanceof ProbeSpec.Device)) {
            return NONE;
        }
        if (probe.tagPart() != null) {
            return switch (probe.tagPart()) {
                case WRITE -> WRITE;
                case STRIP -> STRIP;
                case READ -> READ;
            };
        }
        ProbeDefinition writer = null;
        ProbeDefinition stripper = null;
        for (ProbeDefinition p : probes) {
            if (p.spec() instanceof ProbeSpec.Device d) {
                if (writer == null && d.direction() == ProbeSpec.Direction.EGRESS) {
                    writer = p;
                }
                if (d.direction() == ProbeSpec.Direction.INGRESS) {
                    stripper = p;
                }
            }
        }
        if (probe == writer) {
            return WRITE;
        }
        return probe == stripper ? STRIP : READ;
    }
}
