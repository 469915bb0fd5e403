package io.vnettracer.cli.trace;

import java.util.Locale;

/** Figures as people read them: 1.25 Mb/s, 340us, 12.0%. */
final class Units {
    private Units() {}

    static String bitsPerSecond(double bps) {
        if (bps <= 0) return "-";
        String[] units = {"b/s", "kb/s", "Mb/s", "Gb/s", "Tb/s"};
        int u = 0;
        while (bps >= 1000 && u < units.length - 1) {
            bps /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.2f %s", bps, units[u]);
    }

    static String nanos(double ns) {
        if (ns <= 0) return "-";
        if (ns < 1_000) return String.format(Locale.ROOT, "%.0fns", ns);
        if (ns < 1_000_000) return String.format(Locale.ROOT, "%.1fus", ns / 1e3);
        if (ns < 1_000_000_000) return String.format(Locale.ROOT, "%.2fms", ns / 1e6);
        return String.format(Locale.ROOT, "%.2fs", ns / 1e9);
    }

    /** A time that may be zero or negative (a clock offset): 0ns, -1.20ms, 3.70ms. */
    static String signedNanos(long ns) {
        if (ns == 0) return "0ns";
        return ns < 0 ? "-" + nanos(-(double) ns) : nanos((double) ns);
    }

    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", fraction * 100);
    }

    static String endpoint(String address, int port) {
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port;
    }
}
