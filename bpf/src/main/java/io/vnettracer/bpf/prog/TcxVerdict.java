package io.vnettracer.bpf.prog;

/**
 * Return codes of TCX programs (enum tcx_action_base in include/uapi/linux/bpf.h). A tracer returns
 * {@link #NEXT}: it lets the packet go on to whatever else is attached, as if it were not there.
 */
public final class TcxVerdict {
    public static final int NEXT = -1;
    public static final int PASS = 0;
    public static final int DROP = 2;
    public static final int REDIRECT = 7;

    private TcxVerdict() {}
}
