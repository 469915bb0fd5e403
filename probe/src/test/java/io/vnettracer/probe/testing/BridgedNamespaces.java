package io.vnettracer.probe.testing;

import io.vnettracer.bpf.testing.Shell;
import java.util.HashMap;
import java.util.Map;

/**
 * A throw-away path between two namespaces through a Linux bridge in a third:
 * {@code A (aInner) -veth- (aPort) bridge (bPort) -veth- (bInner) B}, addresses 10.213.S.1 in A
 * and 10.213.S.2 in B, static neighbour entries (no ARP), IPv6 off (no neighbour discovery
 * chatter). Everything goes with the namespaces on close.
 */
public final class BridgedNamespaces implements AutoCloseable {
    public final String a;
    public final String b;
    public final String bridgeNamespace;
    public final String bridge;
    public final String aInner;
    public final String aPort;
    public final String bInner;
    public final String bPort;
    public final String aAddress;
    public final String bAddress;

    public BridgedNamespaces(String prefix, int subnet) {
        a = prefix + "-a";
        b = prefix + "-b";
        bridgeNamespace = prefix + "-br";
        bridge = prefix + "br0";
        aInner = prefix + "-a1";
        aPort = prefix + "-a0";
        bInner = prefix + "-b1";
        bPort = prefix + "-b0";
        aAddress = "10.213." + subnet + ".1";
        bAddress = "10.213." + subnet + ".2";
        close();
        try {
            for (String ns : new String[] {a, b, bridgeNamespace}) {
                Shell.run("ip", "netns", "add", ns);
                Shell.run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.all.disable_ipv6=1");
                Shell.run("ip", "netns", "exec", ns, "sysctl", "-q", "-w", "net.ipv6.conf.default.disable_ipv6=1");
                Shell.run("ip", "-n", ns, "link", "set", "lo", "up");
            }
            Shell.run("ip", "-n", bridgeNamespace, "link", "add", bridge, "type", "bridge");
            Shell.run("ip", "-n", bridgeNamespace, "link", "set", bridge, "up");
            Map<String, String> macs = new HashMap<>();
            for (String[] side : new String[][] {{a, aInner, aPort, aAddress}, {b, bInner, bPort, bAddress}}) {
                Shell.run("ip", "-n", bridgeNamespace, "link", "add", side[2], "type", "veth", "peer", "name", side[1], "netns", side[0]);
                Shell.run("ip", "-n", bridgeNamespace, "link", "set", side[2], "master", bridge);
                Shell.run("ip", "-n", bridgeNamespace, "link", "set", side[2], "up");
                Shell.run("ip", "-n", side[0], "addr", "add", side[3] + "/24", "dev", side[1]);
                Shell.run("ip", "-n", side[0], "link", "set", side[1], "up");
                macs.put(side[0], Shell.run("ip", "netns", "exec", side[0], "cat", "/sys/class/net/" + side[1] + "/address").strip());
            }
            Shell.run("ip", "-n", a, "neigh", "replace", bAddress, "lladdr", macs.get(b), "dev", aInner, "nud", "permanent");
            Shell.run("ip", "-n", b, "neigh", "replace", aAddress, "lladdr", macs.get(a), "dev", bInner, "nud", "permanent");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The MTU of an interface inside a namespace. */
    public static int mtu(String namespace, String ifname) {
        return Integer.parseInt(Shell.run("ip", "netns", "exec", namespace, "cat", "/sys/class/net/" + ifname + "/mtu").strip());
    }

    @Override
    public void close() {
        for (String ns : new String[] {a, b, bridgeNamespace}) {
            Shell.quiet("ip", "netns", "del", ns);
        }
    }
}
