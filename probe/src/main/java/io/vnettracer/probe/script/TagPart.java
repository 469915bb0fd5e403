package io.vnettracer.probe.script;

/**
 * A device probe's part in tag identity, given in the script ({@code tag write|strip|read}) where
 * the probe's place in its own script cannot decide it: a node's part of a trace over several
 * kernels, where only the whole script knows which probe is the sender's first and which the
 * receiver's last. Without it the session decides from script order.
 */
public enum TagPart {
    WRITE("write"), STRIP("strip"), READ("read");

    private final String word;

    TagPart(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    /** The part named {@code word}, or null when there is none. */
    public static TagPart of(String word) {
        for (TagPart p : values()) {
            if (p.word.equals(word)) return p;
        }
        return null;
    }
}
