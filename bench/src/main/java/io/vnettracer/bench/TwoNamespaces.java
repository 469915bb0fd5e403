package io.vnettracer.bench;

import io.vnettracer.bpf.netns.NetNamespace;
import io.vnettracer.bpf.testing.Shell;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;

/**
 * The benchmarks' throw-away path: namespace {@code <prefix>-a} (interface {@code <prefix>a},
 * 10.214.0.1) joined by a veth pair to namespace {@code <prefix>-b} (interface {@code <prefix>b},
 * 10.214.0.2), neighbours static so that no packet waits for ARP. Removed on close.
 */
final class TwoNamespaces implements AutoCloseable {
    static final String A_ADDRESS = "10.214.0.1";
    static final String B_ADDRESS = "10.214.0.2";

    final String a;
    final String b;
    final String aInterface;
    final String bInterface;

    TwoNamespaces(String prefix) {
        a = prefix + "-a";
        b = prefix + "-b";
        aInterface = prefix + "a";
        bInterface = prefix + "b";
        close();
        try {
            Shell.run("ip", "netns", "add", a);
            Shell.run("ip", "netns", "add", b);
            Shell.run("ip", "-n", a, "link", "add", aInterface, "type", "veth", "peer", "name", bInterface, "netns", b);
            Shell.run("ip", "-n", a, "addr", "add", A_ADDRESS + "/24", "dev", aInterface);
            Shell.run("ip", "-n", b, "addr", "add", B_ADDRESS + "/24", "dev", bInterface);
            for (String[] end : new String[][] {{a, aInterface}, {b, bInterface}}) {
                Shell.run("ip", "-n", end[0], "link", "set", end[1], "up");
                Shell.run("ip", "-n", end[0], "link", "set", "lo", "up");
            }
            Shell.run("ip", "-n", a, "neigh", "replace", B_ADDRESS, "lladdr", mac(b, bInterface), "dev", aInterface, "nud", "permanent");
            Shell.run("ip", "-n", b, "neigh", "replace", A_ADDRESS, "lladdr", mac(a, aInterface), "dev", bInterface, "nud", "permanent");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** The six probes of a traced path from a's socket to b's: sockets, devices, device tracepoints. */
    String[] probeOptions() {
        return new String[] {
            "--probe", "app_tx=sock:" + a + ":send",
            "--probe", "a_out=dev:" + a + "/" + aInterface + ":egress",
            "--probe", "a_queue=kernel:net_dev_queue:" + a + "/" + aInterface,
            "--probe", "b_in=dev:" + b + "/" + bInterface + ":ingress",
            "--probe", "b_rx=kernel:netif_receive_skb:" + b + "/" + bInterface,
            "--probe", "app_rx=sock:" + b + ":recv",
        };
    }

    /** A UDP socket opened inside namespace {@code name} (it stays there), bound to {@code address:port}. */
    static DatagramChannel udpSocket(String name, String address, int port) throws IOException {
        try (NetNamespace ns = NetNamespace.named(name)) {
            return ns.run(() -> DatagramChannel.open().bind(new InetSocketAddress(address, port)));
        }
    }

    private static String mac(String namespace, String device) {
        return Shell.run("ip", "netns", "exec", namespace, "cat", "/sys/class/net/" + device + "/address").strip();
    }

    @Override
    public void close() {
        Shell.quiet("ip", "netns", "del", a);
        Shell.quiet("ip", "netns", "del", b);
    }
}
