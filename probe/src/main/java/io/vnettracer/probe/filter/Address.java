package io.vnettracer.probe.filter;

import io.vnettracer.event.PacketKeyLayout;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A numeric IPv4 or IPv6 address, in network byte order. Parsed without any name lookup: a
 * string that is not an address literal is refused, never resolved.
 */
public final class Address {
    private final byte[] bytes;

    private Address(byte[] bytes) {
        this.bytes = bytes;
    }

    /** 4 bytes for IPv4, 16 for IPv6, network order. */
    public static Address of(byte[] bytes) {
        if (bytes.length != 4 && bytes.length != 16) {
            throw new IllegalArgumentException("an address has 4 or 16 bytes, not " + bytes.length);
        }
        return new Address(bytes.clone());
    }

    /**
     * Parses a dotted quad ({@code 10.0.0.1}, exactly four decimal parts) or an IPv6 literal
     * ({@code 2001:db8::1}, {@code ::ffff:10.0.0.1}).
     *
     * @throws IllegalArgumentException saying what is wrong with the text
     */
    public static Address parse(String text) {
        if (text.indexOf(':') >= 0) {
            return parseIpv6(text);
        }
        return parseIpv4(text);
    }

    /** True for text shaped like an address literal (so not a host name). */
    static boolean looksNumeric(String text) {
        if (text.indexOf(':') >= 0) {
            return true;
        }
        return !text.isEmpty() && text.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    private static Address parseIpv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("an IPv4 address has four dotted parts, as in 10.0.0.1");
        }
        byte[] out = new byte[4];
        for (int i = 0; i < 4; i++) {
            String p = parts[i];
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new IllegalArgumentException("'" + p + "' is not a decimal number from 0 to 255");
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                throw new IllegalArgumentException(v + " is more than 255");
            }
            out[i] = (byte) v;
        }
        return new Address(out);
    }

    private static Address parseIpv6(String text) {
        InetAddress parsed;
        try {
            parsed = java.net.Inet6Address.ofLiteral(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a valid IPv6 address");
        }
        byte[] raw = parsed.getAddress();
        if (parsed instanceof Inet4Address) {
            // An IPv4-mapped literal: keep the 16 bytes an IPv6 packet would carry.
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xFF;
            mapped[11] = (byte) 0xFF;
            System.arraycopy(raw, 0, mapped, 12, 4);
            return new Address(mapped);
        }
        return new Address(raw);
    }

    /** ::ffff:a.b.c.d, which RFC 5952 (section 5) writes with the IPv4 part dotted. */
    private boolean isIpv4Mapped() {
        for (int i = 0; i < 10; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[10] == (byte) 0xFF && bytes[11] == (byte) 0xFF;
    }

    public boolean isIpv4() {
        return bytes.length == 4;
    }

    /** {@link PacketKeyLayout#FAMILY_IPV4} or {@link PacketKeyLayout#FAMILY_IPV6}. */
    public int family() {
        return isIpv4() ? PacketKeyLayout.FAMILY_IPV4 : PacketKeyLayout.FAMILY_IPV6;
    }

    /** 32 or 128. */
    public int bitLength() {
        return bytes.length * 8;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** This address with every bit after the first {@code prefixLength} cleared. */
    public Address masked(int prefixLength) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] &= maskByte(prefixLength, i);
        }
        return new Address(out);
    }

    /** Byte {@code index} of the netmask of a /{@code prefixLength}. */
    static byte maskByte(int prefixLength, int index) {
        int bits = Math.clamp(prefixLength - 8L * index, 0, 8);
        return (byte) (0xFF00 >> bits);
    }

    /** The prefix length of a contiguous netmask, or -1 if the mask has a hole. */
    int asPrefixLength() {
        int ones = 0;
        boolean seenZero = false;
        for (byte b : bytes) {
            for (int bit = 7; bit >= 0; bit--) {
                boolean one = (b >> bit & 1) == 1;
                if (one && seenZero) {
                    return -1;
                }
                if (one) {
                    ones++;
                } else {
                    seenZero = true;
                }
            }
        }
        return ones;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Address other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Dotted quad, or the RFC 5952 form of IPv6 (lower case, the longest run of zero groups as ::, mapped IPv4 dotted). */
    @Override
    public String toString() {
        if (isIpv4()) {
            return (bytes[0] & 0xFF) + "." + (bytes[1] & 0xFF) + "." + (bytes[2] & 0xFF) + "." + (bytes[3] & 0xFF);
        }
        if (isIpv4Mapped()) {
            return "::ffff:" + (bytes[12] & 0xFF) + "." + (bytes[13] & 0xFF) + "." + (bytes[14] & 0xFF) + "." + (bytes[15] & 0xFF);
        }
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = (bytes[2 * i] & 0xFF) << 8 | bytes[2 * i + 1] & 0xFF;
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not shortened (RFC 5952 4.2.2)
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                s.append("::");
                i += bestLength - 1;
                continue;
            }
            if (!s.isEmpty() && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(HexFormat.of().toHexDigits((short) groups[i]).replaceFirst("^0+(?=.)", ""));
        }
        return s.toString();
    }
}
