package io.vnettracer.probe.filter;

/** Which address or port of the packet a primitive looks at. */
public enum Direction {
    SRC("src "),
    DST("dst "),
    /** Either the source or the destination: pcap's default, {@code src or dst}. */
    EITHER(""),
    /** Both the source and the destination: {@code src and dst}. */
    BOTH("src and dst ");

    private final String qualifier;

    Direction(String qualifier) {
        this.qualifier = qualifier;
    }

    /** The qualifier as written before the primitive, with its trailing space ("" for EITHER). */
    public String qualifier() {
        return qualifier;
    }
}
