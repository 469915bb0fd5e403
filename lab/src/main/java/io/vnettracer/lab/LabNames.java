package io.vnettracer.lab;

/**
 * The names a lab gives what it creates. All start with the lab's name and a '-', which is where
 * {@code down} looks when the state file is lost; a name proves nothing, though: only what also
 * carries the lab's {@link LabMarker} is removed.
 */
public record LabNames(String lab, boolean switchInRoot) {
    /** From include/uapi/linux/if.h: IFNAMSIZ is 16 with the terminating NUL. */
    public static final int MAX_INTERFACE_NAME = 15;
    static final String SWITCH_SUFFIX = "sw";
    static final String BRIDGE_SUFFIX = "br";
    /** The name of every VM's interface, inside its namespace. */
    public static final String VM_INTERFACE = "eth0";
    /** The iptables chain holding a VM's loss rule, in the VM's namespace (which is the lab's alone). */
    public static final String LOSS_CHAIN = "VNT-LAB-LOSS";
    private static final String PROCESS_MARKER = "vnettracer-lab-";

    /** What every namespace (and, with the switch in the root namespace, every device) name starts with. */
    public String prefix() {
        return lab + "-";
    }

    public String vmNamespace(String vm) {
        return prefix() + vm;
    }

    /** The switch's namespace, or null when the switch is in the root namespace. */
    public String switchNamespace() {
        return switchInRoot ? null : prefix() + SWITCH_SUFFIX;
    }

    public String bridge() {
        return prefix() + BRIDGE_SUFFIX;
    }

    /** The switch's end of the veth pair whose other end is {@code vm}'s eth0. */
    public String port(String vm) {
        return port(lab, vm);
    }

    static String port(String lab, String vm) {
        return lab + "-" + vm + "-p";
    }

    static int portLength(String lab, String vm) {
        return port(lab, vm).length();
    }

    /** An argument each contention process carries, so that it is found by /proc scan alone. */
    public String processMarker(String contention) {
        return processMarkerPrefix() + contention;
    }

    public String processMarkerPrefix() {
        return PROCESS_MARKER + lab + "-";
    }
}
