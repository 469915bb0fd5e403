package io.vnettracer.bpf.sys;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The cookie of a network namespace: the 64-bit number bpf_get_netns_cookie returns to programs
 * and {@code struct net.net_cookie} holds, read here through SO_NETNS_COOKIE (Linux 5.14+) on a
 * socket made in the calling thread's namespace.
 */
public final class NetnsCookie {
    /** From include/uapi/asm-generic/socket.h and linux/socket.h. */
    private static final int SOL_SOCKET = 1;
    private static final int SO_NETNS_COOKIE = 71;
    private static final int AF_INET = 2;
    private static final int SOCK_DGRAM = 2;

    private NetnsCookie() {}

    /** The cookie of the calling thread's network namespace. */
    public static long current() {
        try (Fd socket = new Fd(LibC.socket(AF_INET, SOCK_DGRAM, 0, "a socket to read the namespace cookie"));
             Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(JAVA_LONG);
            LibC.getsockopt(socket.get(), SOL_SOCKET, SO_NETNS_COOKIE, value, "reading SO_NETNS_COOKIE (needs Linux 5.14)");
            return value.get(JAVA_LONG, 0);
        }
    }
}
