package io.vnettracer.probe.program;

import io.vnettracer.bpf.prog.ProgramSpec;

/**
 * A probe's program, ready to load, and how to attach it.
 *
 * @param tracepoint for tp_btf probes, the tracepoint; else null
 */
public record ProbeProgram(ProgramSpec spec, Hook hook, String tracepoint) {
    /** The kind of hook the program attaches to. */
    public enum Hook { TCX_INGRESS, TCX_EGRESS, TRACEPOINT, CGROUP_EGRESS, CGROUP_INGRESS }
}
