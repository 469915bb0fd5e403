package io.vnettracer.bpf.testing;

/**
 * A throw-away network: a namespace and a veth pair whose outer end stays in the root namespace
 * ({@code outer}, address .1) and inner end lives in the namespace ({@code inner}, address .2).
 * The neighbour entry toward the inner end is static, so no packet waits for ARP.
 */
public final class VethPair implements AutoCloseable {
    public final String namespace;
    public final String outer;
    public final String inner;
    public final String outerAddress;
    public final String innerAddress;

    public VethPair(String prefix, int subnet) {
        this.namespace = prefix + "-ns";
        this.outer = prefix + "0";
        this.inner = prefix + "1";
        this.outerAddress = "10.213." + subnet + ".1";
        this.innerAddress = "10.213." + subnet + ".2";
        close();
        Shell.run("ip", "netns", "add", namespace);
        try {
            Shell.run("ip", "link", "add", outer, "type", "veth", "peer", "name", inner, "netns", namespace);
            Shell.run("ip", "addr", "add", outerAddress + "/24", "dev", outer);
            Shell.run("ip", "link", "set", outer, "up");
            Shell.run("ip", "-n", namespace, "addr", "add", innerAddress + "/24", "dev", inner);
            Shell.run("ip", "-n", namespace, "link", "set", inner, "up");
            Shell.run("ip", "-n", namespace, "link", "set", "lo", "up");
            String innerMac = Shell.run("ip", "netns", "exec", namespace, "cat", "/sys/class/net/" + inner + "/address").strip();
            String outerMac = Shell.run("cat", "/sys/class/net/" + outer + "/address").strip();
            Shell.run("ip", "neigh", "replace", innerAddress, "lladdr", innerMac, "dev", outer, "nud", "permanent");
            Shell.run("ip", "-n", namespace, "neigh", "replace", outerAddress, "lladdr", outerMac, "dev", inner, "nud", "permanent");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Removes the namespace (and with it the inner end; the outer end goes with its peer). */
    @Override
    public void close() {
        Shell.quiet("ip", "link", "del", outer);
        Shell.quiet("ip", "netns", "del", namespace);
    }
}
