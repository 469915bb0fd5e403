package io.vnettracer.bpf.link;

import io.vnettracer.bpf.prog.AttachType;

/** Which side of an interface a tc program sees. */
public enum TcxDirection {
    INGRESS(AttachType.TCX_INGRESS, "ingress"),
    EGRESS(AttachType.TCX_EGRESS, "egress");

    private final AttachType attachType;
    private final String label;

    TcxDirection(AttachType attachType, String label) {
        this.attachType = attachType;
        this.label = label;
    }

    public AttachType attachType() {
        return attachType;
    }

    public String label() {
        return label;
    }
}
