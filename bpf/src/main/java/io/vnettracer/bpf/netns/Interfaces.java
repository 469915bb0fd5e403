package io.vnettracer.bpf.netns;

import io.vnettracer.bpf.sys.LibC;
import java.util.Optional;

/** Interface names and indexes as a given network namespace sees them (indexes are per namespace). */
public final class Interfaces {
    /** From include/uapi/linux/if.h: names are at most IFNAMSIZ - 1 bytes. */
    static final int IFNAMSIZ = 16;

    private Interfaces() {}

    /** The index of interface {@code name} in {@code ns}; throws naming the namespace if there is none. */
    public static int index(NetNamespace ns, String name) {
        checkName(name);
        int index = ns.run(() -> LibC.ifNameToIndex(name));
        if (index == 0) {
            throw new NetNamespaceException("no network interface '" + name + "' in " + ns.description()
                    + "; list its interfaces with " + ns.listLinksHint());
        }
        return index;
    }

    /** The index of interface {@code name} in the calling thread's namespace; throws if there is none. */
    public static int index(String name) {
        checkName(name);
        int index = LibC.ifNameToIndex(name);
        if (index == 0) {
            throw new NetNamespaceException("no network interface '" + name + "' in the network namespace net:["
                    + NetNamespace.currentInode() + "] of thread '" + Thread.currentThread().getName()
                    + "'; list its interfaces with 'ip link'");
        }
        return index;
    }

    /** The name of the interface with index {@code index} in {@code ns}, if there is one. */
    public static Optional<String> name(NetNamespace ns, int index) {
        return Optional.ofNullable(ns.run(() -> LibC.ifIndexToName(index)));
    }

    private static void checkName(String name) {
        if (name == null || name.isEmpty() || name.length() >= IFNAMSIZ) {
            throw new IllegalArgumentException("not an interface name (1 to " + (IFNAMSIZ - 1) + " bytes): '" + name + "'");
        }
    }

    /** From include/uapi/linux/sockios.h; struct ifreq is the name (IFNAMSIZ 16) then a union holding ifr_mtu. */
    private static final long SIOCGIFMTU = 0x8921;

    /** The MTU of interface {@code name} in the calling thread's namespace. */
    public static int mtu(String name) {
        checkName(name);
        try (io.vnettracer.bpf.sys.Fd socket = new io.vnettracer.bpf.sys.Fd(
                LibC.socket(2, 2, 0, "a socket to ask for the MTU of " + name));
             java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            java.lang.foreign.MemorySegment ifreq = arena.allocate(40);
            ifreq.setString(0, name);
            LibC.ioctl(socket.get(), SIOCGIFMTU, ifreq, "SIOCGIFMTU of " + name);
            return ifreq.get(java.lang.foreign.ValueLayout.JAVA_INT, IFNAMSIZ); // ifr_mtu follows ifr_name
        }
    }
}
