package io.vnettracer.bpf.link;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.sys.LibC;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Socket filters are not links: they are set on one socket with setsockopt(SO_ATTACH_BPF) and live
 * as long as the socket does.
 */
public final class SocketFilter {
    /** From include/uapi/asm-generic/socket.h. */
    private static final int SOL_SOCKET = 1;
    private static final int SO_ATTACH_BPF = 50;
    private static final int SO_DETACH_BPF = 27;

    private SocketFilter() {}

    public static void attach(int socketFd, Program program) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fd = arena.allocate(JAVA_INT);
            fd.set(JAVA_INT, 0, program.fd().get());
            LibC.setsockopt(socketFd, SOL_SOCKET, SO_ATTACH_BPF, fd, "attaching " + program + " to socket " + socketFd);
        }
    }

    public static void detach(int socketFd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment zero = arena.allocate(JAVA_INT);
            LibC.setsockopt(socketFd, SOL_SOCKET, SO_DETACH_BPF, zero, "detaching the filter of socket " + socketFd);
        }
    }
}
