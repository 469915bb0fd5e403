package io.vnettracer.remote.tls;

import java.util.regex.Pattern;

/**
 * A node's (or collector's) name: it becomes a certificate's subject (CN=NAME), a DNS name in it,
 * and file names (NAME.pem, NAME.key, NAME.log). Letters, digits, '_', '.', '-', at most 64, not
 * starting with '.': no path separator, no "..", nothing that means something in an X.500 name
 * (',', '=', '+', quotes, '\', newlines).
 */
public final class NodeName {
    public static final int MAX_LENGTH = 64;
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0," + (MAX_LENGTH - 1) + "}");

    private NodeName() {}

    /** {@code name} when it is valid; otherwise an IllegalArgumentException naming {@code what} and the rule. */
    public static String require(String what, String name) {
        if (name == null || !VALID.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " '" + printable(name) + "': use 1 to " + MAX_LENGTH
                    + " letters, digits, '_', '.', '-', not starting with '.'");
        }
        return name;
    }

    private static String printable(String name) {
        return name == null ? "" : name.replaceAll("\\p{Cntrl}", "?");
    }
}
