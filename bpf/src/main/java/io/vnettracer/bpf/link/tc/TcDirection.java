package io.vnettracer.bpf.link.tc;

/** Which of clsact's two hooks a filter sits on. */
public enum TcDirection {
    INGRESS(PktSched.TC_H_MIN_INGRESS),
    EGRESS(PktSched.TC_H_MIN_EGRESS);

    private final int parent;

    TcDirection(int minor) {
        this.parent = PktSched.makeHandle(PktSched.TC_H_CLSACT, minor);
    }

    /** The tcm_parent of filters on this hook: TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS or _EGRESS). */
    public int parent() {
        return parent;
    }

    /** The direction whose hook is {@code parent}, or null for any other parent. */
    public static TcDirection ofParent(int parent) {
        for (TcDirection d : values()) {
            if (d.parent == parent) {
                return d;
            }
        }
        return null;
    }

    /** As tc(8) spells it: "ingress" or "egress". */
    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
