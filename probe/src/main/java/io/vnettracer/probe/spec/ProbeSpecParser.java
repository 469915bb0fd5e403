package io.vnettracer.probe.spec;

import java.util.Set;
import java.util.regex.Pattern;

/** Parses probe specs. Names are checked for the characters the kernel and iproute2 allow. */
public final class ProbeSpecParser {
    /** IFNAMSIZ from include/uapi/linux/if.h, less the NUL. */
    private static final int MAX_IFNAME = 15;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.@-]+");
    private static final Pattern TRACEPOINT = Pattern.compile("[a-z0-9_]+");
    /**
     * Tracepoints whose first argument is the packet (struct sk_buff *skb) and where it is still
     * the caller's to read. Not net_dev_xmit: it fires after the driver took the packet, which a
     * veth has by then handed to its peer (another device, maybe another namespace) or freed.
     */
    public static final Set<String> PACKET_TRACEPOINTS = Set.of(
            "net_dev_queue", "net_dev_start_xmit", "netif_receive_skb",
            "netif_rx", "napi_gro_receive_entry", "netif_receive_skb_entry", "consume_skb");

    private ProbeSpecParser() {}

    public static ProbeSpec parse(String spec) {
        String s = spec.strip();
        int colon = s.indexOf(':');
        String kind = colon < 0 ? s : s.substring(0, colon);
        String rest = colon < 0 ? null : s.substring(colon + 1);
        return switch (kind) {
            case "dev" -> device(spec, rest);
            case "sock" -> socket(spec, rest);
            case "kernel" -> kernel(spec, rest);
            case "drops" -> new ProbeSpec.Drops(rest == null ? null : name(spec, rest, "namespace"));
            case "" -> throw new ProbeSpecException(spec, "empty probe kind");
            default -> throw new ProbeSpecException(spec, "unknown probe kind '" + kind + "'");
        };
    }

    private static ProbeSpec device(String spec, String rest) {
        if (rest == null) {
            throw new ProbeSpecException(spec, "a dev probe needs an interface and a direction");
        }
        int last = rest.lastIndexOf(':');
        if (last < 0) {
            throw new ProbeSpecException(spec, "missing ':ingress' or ':egress' after the interface");
        }
        String where = rest.substring(0, last);
        String direction = rest.substring(last + 1);
        ProbeSpec.Direction d = switch (direction) {
            case "ingress" -> ProbeSpec.Direction.INGRESS;
            case "egress" -> ProbeSpec.Direction.EGRESS;
            default -> throw new ProbeSpecException(spec, "direction must be 'ingress' or 'egress', not '" + direction + "'");
        };
        String[] nsIf = namespaceAndInterface(spec, where);
        return new ProbeSpec.Device(nsIf[0], nsIf[1], d);
    }

    private static ProbeSpec socket(String spec, String rest) {
        if (rest == null) {
            throw new ProbeSpecException(spec, "a sock probe needs ':send' or ':recv'");
        }
        int last = rest.lastIndexOf(':');
        String ns = last < 0 ? "" : rest.substring(0, last);
        String point = last < 0 ? rest : rest.substring(last + 1);
        ProbeSpec.SocketPoint p = switch (point) {
            case "send" -> ProbeSpec.SocketPoint.SEND;
            case "recv" -> ProbeSpec.SocketPoint.RECV;
            default -> throw new ProbeSpecException(spec, "a sock probe point is 'send' or 'recv', not '" + point + "'");
        };
        return new ProbeSpec.Socket(ns.isEmpty() ? null : name(spec, ns, "namespace"), p);
    }

    private static ProbeSpec kernel(String spec, String rest) {
        if (rest == null || rest.isEmpty()) {
            throw new ProbeSpecException(spec, "a kernel probe needs a tracepoint, e.g. kernel:net_dev_queue");
        }
        int colon = rest.indexOf(':');
        String tp = colon < 0 ? rest : rest.substring(0, colon);
        if (!TRACEPOINT.matcher(tp).matches()) {
            throw new ProbeSpecException(spec, "'" + tp + "' is not a tracepoint name");
        }
        if (!PACKET_TRACEPOINTS.contains(tp)) {
            throw new ProbeSpecException(spec, "tracepoint '" + tp + "' does not carry a packet; use one of "
                    + new java.util.TreeSet<>(PACKET_TRACEPOINTS) + ", or drops for kfree_skb");
        }
        if (colon < 0) {
            return new ProbeSpec.Kernel(tp, null, null);
        }
        String[] nsIf = namespaceAndInterface(spec, rest.substring(colon + 1));
        return new ProbeSpec.Kernel(tp, nsIf[0], nsIf[1]);
    }

    private static String[] namespaceAndInterface(String spec, String where) {
        int slash = where.indexOf('/');
        String ns = slash < 0 ? null : name(spec, where.substring(0, slash), "namespace");
        String iface = slash < 0 ? where : where.substring(slash + 1);
        if (iface.isEmpty()) {
            throw new ProbeSpecException(spec, "missing interface name");
        }
        name(spec, iface, "interface");
        if (iface.length() > MAX_IFNAME) {
            throw new ProbeSpecException(spec, "interface name '" + iface + "' is longer than " + MAX_IFNAME + " characters");
        }
        return new String[] {ns, iface};
    }

    private static String name(String spec, String value, String what) {
        if (value.isEmpty()) {
            throw new ProbeSpecException(spec, "empty " + what + " name");
        }
        if (!NAME.matcher(value).matches()) {
            throw new ProbeSpecException(spec, what + " name '" + value + "' has characters other than letters, digits, '_', '.', '-', '@'");
        }
        return value;
    }
}
