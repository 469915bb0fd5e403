package io.vnettracer.probe.program;

/**
 * What the session resolved about where a probe attaches, baked into its program as constants:
 * the namespace cookie its packets must come from (0: any) and the interface (0: any).
 */
public record ProbeScope(long netnsCookie, int ifindex) {
    public static final ProbeScope ANYWHERE = new ProbeScope(0, 0);
}
