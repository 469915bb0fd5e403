package io.vnettracer.bpf.btf;

/**
 * BTF that cannot be read (a malformed blob, an unreadable file) or a look-up that finds
 * nothing: the message names what was looked for and where, e.g.
 * {@code struct sk_buff has no member 'foo'}.
 */
public class BtfException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BtfException(String message) {
        super(message);
    }

    public BtfException(String message, Throwable cause) {
        super(message, cause);
    }
}
