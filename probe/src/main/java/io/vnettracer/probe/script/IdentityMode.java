package io.vnettracer.probe.script;

/** How packets are identified across probes. */
public enum IdentityMode {
    /** An explicit ID written into the packet by the first probe of the sender (UDP trailer). */
    TAG,
    /** No change to packets: identity from invariant header fields and a payload prefix. */
    FINGERPRINT;

    public String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
