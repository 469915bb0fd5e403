package io.vnettracer.bpf.link.tc;

import io.vnettracer.bpf.netns.NetNamespace;
import io.vnettracer.bpf.testing.Shell;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;

/**
 * Two throw-away namespaces joined by a veth pair: {@code vnl0} (192.0.2.1, TEST-NET-1) in
 * {@code vnl-a} and {@code vnl1} (192.0.2.2) in {@code vnl-b}, with static neighbour entries so no
 * datagram waits for ARP. Nothing of it is in the root namespace.
 */
final class TwoNamespaces implements AutoCloseable {
    static final String A = "vnl-a";
    static final String B = "vnl-b";
    static final String A_IF = "vnl0";
    static final String B_IF = "vnl1";
    static final String A_ADDRESS = "192.0.2.1";
    static final String B_ADDRESS = "192.0.2.2";

    final NetNamespace a;
    final NetNamespace b;

    TwoNamespaces() {
        removeLeftovers();
        Shell.run("ip", "netns", "add", A);
        Shell.run("ip", "netns", "add", B);
        Shell.run("ip", "-n", A, "link", "add", A_IF, "type", "veth", "peer", "name", B_IF, "netns", B);
        Shell.run("ip", "-n", A, "addr", "add", A_ADDRESS + "/24", "dev", A_IF);
        Shell.run("ip", "-n", B, "addr", "add", B_ADDRESS + "/24", "dev", B_IF);
        Shell.run("ip", "-n", A, "link", "set", A_IF, "up");
        Shell.run("ip", "-n", B, "link", "set", B_IF, "up");
        String aMac = Shell.run("ip", "netns", "exec", A, "cat", "/sys/class/net/" + A_IF + "/address").strip();
        String bMac = Shell.run("ip", "netns", "exec", B, "cat", "/sys/class/net/" + B_IF + "/address").strip();
        Shell.run("ip", "-n", A, "neigh", "replace", B_ADDRESS, "lladdr", bMac, "dev", A_IF, "nud", "permanent");
        Shell.run("ip", "-n", B, "neigh", "replace", A_ADDRESS, "lladdr", aMac, "dev", B_IF, "nud", "permanent");
        a = NetNamespace.named(A);
        b = NetNamespace.named(B);
    }

    static void removeLeftovers() {
        Shell.quiet("ip", "netns", "delete", A);
        Shell.quiet("ip", "netns", "delete", B);
    }

    /** A receiving socket in vnl-b on 192.0.2.2 that gives up waiting after {@code timeoutMillis}. */
    DatagramSocket receiverInB(int timeoutMillis) throws IOException {
        DatagramSocket s = b.run(() -> new DatagramSocket(new InetSocketAddress(B_ADDRESS, 0)));
        s.setSoTimeout(timeoutMillis);
        return s;
    }

    /** A sending socket in vnl-a. */
    DatagramSocket senderInA() throws IOException {
        return a.run(() -> new DatagramSocket());
    }

    /** Sends one datagram and says whether it arrived before the receiver's timeout. */
    static boolean delivered(DatagramSocket sender, DatagramSocket receiver, byte marker) throws IOException {
        sender.send(new DatagramPacket(new byte[] {marker}, 1, receiver.getLocalSocketAddress()));
        DatagramPacket got = new DatagramPacket(new byte[16], 16);
        while (true) {
            try {
                receiver.receive(got);
            } catch (SocketTimeoutException e) {
                return false;
            }
            if (got.getLength() == 1 && got.getData()[0] == marker) {
                return true;
            }
        }
    }

    /** tc(8)'s view of a hook in a namespace. */
    static String tcFilters(String namespace, String ifname, TcDirection direction) {
        return Shell.run("tc", "-n", namespace, "filter", "show", "dev", ifname, direction.toString());
    }

    static String qdiscs(String namespace, String ifname) {
        return Shell.run("tc", "-n", namespace, "qdisc", "show", "dev", ifname);
    }

    @Override
    public void close() {
        a.close();
        b.close();
        removeLeftovers();
    }
}
