package io.vnettracer.event;

/** How a packet's identity was obtained, as written into {@link EventLayout#ID_MODE}. */
public enum IdMode {
    /** The packet carries an explicit ID (the tag), written by a probe of this tracer. */
    TAG(1),
    /** No tag: identity comes from invariant header fields and a payload prefix. */
    FINGERPRINT(2);

    private final int code;

    IdMode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static IdMode of(int code) {
        return switch (code) {
            case 1 -> TAG;
            case 2 -> FINGERPRINT;
            default -> null;
        };
    }
}
