package io.vnettracer.event;

/** What an event reports. Numbered as probes write them into {@link EventLayout#KIND}. */
public enum EventKind {
    /** A probe saw the packet pass. */
    PACKET(1),
    /** The kernel freed the packet as dropped; {@link EventLayout#EXTRA} holds the drop reason. */
    DROP(2);

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
            default -> null;
        };
    }
}
