package io.vnettracer.probe.filter;

import java.util.HexFormat;

/** A 48-bit Ethernet address, written as pcap reads it: six hex parts split by ':', '-' or '.'. */
public record MacAddress(long value) {
    /** {@code 00:11:22:33:44:55}, {@code 0:1:2:3:4:5} or {@code 00-11-22-33-44-55}; null if it is not one. */
    static MacAddress parseOrNull(String text) {
        String[] parts = text.split("[:.-]", -1);
        if (parts.length != 6) {
            return null;
        }
        long v = 0;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 2 || !p.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                return null;
            }
            v = v << 8 | Integer.parseInt(p, 16);
        }
        return new MacAddress(v);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        for (int i = 5; i >= 0; i--) {
            s.append(HexFormat.of().toHexDigits((byte) (value >> 8 * i))).append(i > 0 ? ":" : "");
        }
        return s.toString();
    }
}
