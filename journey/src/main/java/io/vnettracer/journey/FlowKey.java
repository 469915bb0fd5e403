package io.vnettracer.journey;

import io.vnettracer.event.PacketKeyLayout;

/**
 * A flow: the 5-tuple of a packet key (protocol, source address and port, destination address and
 * port) with its address family. Addresses are kept as two big-endian halves, IPv4 in the top 4
 * bytes of the high half, as the event carries them.
 */
public record FlowKey(int family, int protocol, long srcHigh, long srcLow, int srcPort,
                      long dstHigh, long dstLow, int dstPort) {

    public static FlowKey ipv4(int protocol, int src, int srcPort, int dst, int dstPort) {
        return new FlowKey(PacketKeyLayout.FAMILY_IPV4, protocol, (long) src << 32, 0, srcPort,
                (long) dst << 32, 0, dstPort);
    }

    public String protocolName() {
        return Addresses.protocolName(protocol);
    }

    public String srcAddress() {
        return Addresses.format(family, srcHigh, srcLow);
    }

    public String dstAddress() {
        return Addresses.format(family, dstHigh, dstLow);
    }

    /**
     * The flow as named in summaries: {@code "udp 10.0.0.1:5000 > 10.0.0.2:6000"}, IPv6 addresses
     * in brackets: {@code "udp [fd00::1]:5000 > [fd00::2]:6000"}.
     */
    @Override
    public String toString() {
        return protocolName() + " " + endpoint(srcAddress(), srcPort) + " > " + endpoint(dstAddress(), dstPort);
    }

    private String endpoint(String address, int port) {
        return (family == PacketKeyLayout.FAMILY_IPV6 ? "[" + address + "]" : address) + ":" + port;
    }
}
