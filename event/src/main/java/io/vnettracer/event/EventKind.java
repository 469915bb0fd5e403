package io.vnettracer.event;

/** What an event reports. Numbered as probes write them into {@link EventLayout#KIND}. */
public enum EventKind {
    /** A probe saw the packet pass. */
    PACKET(1),
    /** The kernel freed the packet as dropped; {@link EventLayout#EXTRA} holds the drop reason. */
    DROP(2),
    /**
     * A datagram joined a socket's receive queue; {@link EventLayout#EXTRA} holds the socket cookie.
     * The session pairs it with the socket's next {@link #SOCKET_READ} and passes it on as a
     * {@link #PACKET} at the time of the read.
     */
    SOCKET_QUEUED(3),
    /**
     * An application read one datagram from a socket ({@link EventLayout#EXTRA}: the socket cookie,
     * {@link EventLayout#SKB_LENGTH}: the bytes read); carries no packet key.
     */
    SOCKET_READ(4),
    /**
     * A socket refused a datagram after it was reported {@link #SOCKET_QUEUED} (receive buffer
     * full); {@link EventLayout#EXTRA}: the socket cookie, with the datagram's key. The session
     * takes it back out of the socket's queue so later reads pair with the right datagrams.
     */
    SOCKET_REFUSED(5);

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
            case 5 -> SOCKET_REFUSED;
            default -> null;
        };
    }
}
