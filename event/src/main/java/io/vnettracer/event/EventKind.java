package io.vnettracer.event;

/** What an event reports. Numbered as probes write them into {@link EventLayout#KIND}. */
public enum EventKind {
    /** A probe saw the packet pass. */
    PACKET(1),
    /** The kernel freed the packet as dropped; {@link EventLayout#EXTRA} holds the drop reason. */
    DROP(2),
    /**
     * A TCP segment with payload (or a SYN or FIN) joined a socket's receive queue;
     * {@link EventLayout#EXTRA} holds the socket cookie. The session delivers it as a
     * {@link #PACKET} at the time of the {@link #SOCKET_READ} that takes its last byte. (UDP
     * datagrams are paired with their reads in the kernel and arrive as one {@link #PACKET}.)
     */
    SOCKET_QUEUED(3),
    /**
     * An application read from a TCP socket ({@link EventLayout#EXTRA}: the socket cookie; the key's
     * L4 data: the socket's copied sequence after the read).
     */
    SOCKET_READ(4);
    // 5 was SOCKET_REFUSED (a UDP datagram the socket refused), until UDP pairing moved into the kernel.

    private final int code;

    EventKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The kind of a code, or null for a code this version does not know. */
    public static EventKind of(int code) {
        return switch (code) {
            case 1 -> PACKET;
            case 2 -> DROP;
            case 3 -> SOCKET_QUEUED;
            case 4 -> SOCKET_READ;
            default -> null;
        };
    }
}
