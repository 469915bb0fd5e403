package io.vnettracer.bpf.link.tc;

/**
 * A cls_bpf filter as the kernel reports it in a dump.
 *
 * @param ifindex the interface, in the namespace it was listed in
 * @param direction the clsact hook
 * @param priority "pref" in tc(8)
 * @param protocol ethertype in host order (3 = ETH_P_ALL)
 * @param handle the filter's handle within its priority
 * @param chain the filter chain (0 unless chains are used)
 * @param kind the classifier, "bpf" for ours
 * @param name TCA_BPF_NAME; null for other classifiers
 * @param programId the kernel's id of the attached program; 0 if not reported
 */
public record TcFilter(int ifindex, TcDirection direction, int priority, int protocol, int handle, int chain,
        String kind, String name, int programId) {

    /** Whether this is a cls_bpf filter whose name says this library attached it. */
    public boolean isOurs() {
        return "bpf".equals(kind) && name != null && name.startsWith(FilterOwner.PREFIX);
    }
}
