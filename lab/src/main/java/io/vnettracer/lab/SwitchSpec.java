package io.vnettracer.lab;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The lab's switch. Where it lives: {@code own} (default) puts it in the namespace
 * {@code <lab>-sw}, so the lab never touches the host's network; {@code root} puts bridge and
 * ports in the host's namespace (for probes that must see them there). What it is: {@code bridge}
 * (default), a Linux bridge, or {@code ovs}, an Open vSwitch bridge on the userspace datapath
 * served by the lab's own ovsdb-server and ovs-vswitchd ({@link OvsSwitch}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SwitchSpec(String namespace, String kind) {
    public static final String OWN = "own";
    public static final String ROOT = "root";
    public static final String BRIDGE = "bridge";
    public static final String OVS = "ovs";

    public SwitchSpec(String namespace) {
        this(namespace, null);
    }

    public boolean inRootNamespace() {
        return ROOT.equals(namespace);
    }

    @JsonIgnore
    public boolean isOvs() {
        return OVS.equals(kind);
    }
}
