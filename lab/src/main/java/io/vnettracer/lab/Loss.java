package io.vnettracer.lab;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Random loss on a VM's input: an iptables rule in the VM's namespace that drops each matching
 * packet with {@code probability} (the {@code statistic} match, mode random). {@code protocol}
 * (udp, tcp, icmp) and {@code port} (destination port, udp or tcp) narrow what is dropped.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Loss(Double probability, String protocol, Integer port) {
    /** One line for status output. */
    public String describe() {
        return "drop " + probability + (protocol == null ? "" : " of " + protocol) + (port == null ? "" : " port " + port);
    }
}
