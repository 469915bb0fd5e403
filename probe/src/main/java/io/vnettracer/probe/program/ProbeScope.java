package io.vnettracer.probe.program;

/**
 * What the session resolved about where a probe attaches, baked into its program as constants:
 * the namespace cookie its packets must come from (0: any), the interface (0: any) and that
 * interface's MTU (0: unknown; a tagging probe needs it).
 */
public record ProbeScope(long netnsCookie, int ifindex, int mtu) {
    public static final ProbeScope ANYWHERE = new ProbeScope(0, 0, 0);
}
