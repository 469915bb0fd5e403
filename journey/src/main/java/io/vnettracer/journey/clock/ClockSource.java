package io.vnettracer.journey.clock;

/** Which estimate gave a node's offset. */
public enum ClockSource {
    /** The node whose clock the others are measured against. */
    REFERENCE("reference"),
    /** Request/reply exchanges alone (or traffic did not narrow them). */
    RPC("rpc"),
    /** Packets crossing between nodes alone (or the exchanges did not narrow them). */
    TRAFFIC("traffic"),
    /** Both, each narrowing one side of the interval. */
    RPC_AND_TRAFFIC("rpc+traffic"),
    /** Nothing: the offset is unknown. */
    NONE("none");

    private final String label;

    ClockSource(String label) {
        this.label = label;
    }

    /** The word the summary and JSON use. */
    public String label() {
        return label;
    }
}
