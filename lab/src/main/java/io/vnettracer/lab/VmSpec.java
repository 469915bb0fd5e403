package io.vnettracer.lab;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One "VM": a network namespace with an {@code eth0} holding {@code address} (CIDR), linked to a
 * switch port. {@code cpu} pins the workloads run in it, {@code cgroup} (a path below the cgroup
 * v2 mount) holds them; {@code shaping} applies to the switch port toward it, {@code loss} to its
 * input.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VmSpec(String name, String address, Integer cpu, String cgroup, Shaping shaping, Loss loss) {
    /** The address without its prefix length. */
    public String ip() {
        int slash = address.indexOf('/');
        return slash < 0 ? address : address.substring(0, slash);
    }
}
