package io.vnettracer.sinks.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** How the report writes its numbers: times with three significant digits and a unit, counts grouped. */
final class Figures {
    static final String MISSING = "—";

    private Figures() {}

    /** {@code 0.951 µs}, {@code 12.3 µs}, {@code 2.54 ms}, {@code 1.20 s}; a dash for NaN. */
    static String micros(double us) {
        if (Double.isNaN(us)) {
            return MISSING;
        }
        double magnitude = Math.abs(us);
        if (magnitude >= 1_000_000) {
            return significant(us / 1_000_000) + " s";
        }
        if (magnitude >= 1_000) {
            return significant(us / 1_000) + " ms";
        }
        return significant(us) + " µs";
    }

    /** An axis tick, whose values are round: {@code 10 µs}, {@code 1 ms}, {@code 2.5 ms}. */
    static String tick(double us) {
        double magnitude = Math.abs(us);
        if (magnitude >= 1_000_000) {
            return plain(us / 1_000_000) + " s";
        }
        if (magnitude >= 1_000) {
            return plain(us / 1_000) + " ms";
        }
        return plain(us) + " µs";
    }

    private static String plain(double v) {
        return BigDecimal.valueOf(v).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    }

    static String nanos(double ns) {
        return micros(ns / 1_000);
    }

    /** A difference, always signed: {@code +12.3 µs}, {@code −4.10 µs}. */
    static String signedMicros(double us) {
        if (Double.isNaN(us)) {
            return MISSING;
        }
        return (us < 0 ? "−" : "+") + micros(Math.abs(us));
    }

    /** Three significant digits, without a trailing dot: 0.951, 9.51, 95.1, 951. */
    static String significant(double v) {
        double magnitude = Math.abs(v);
        if (magnitude == 0) {
            return "0";
        }
        int decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : magnitude >= 1 ? 2 : 3;
        String text = String.format(Locale.ROOT, "%." + decimals + "f", v);
        // 999.6 rounds to "1000": still three digits' worth of meaning, kept as is.
        return text;
    }

    /** A fraction as a percentage: {@code 99.8%}, {@code <0.1%} for tiny non-zero shares. */
    static String percent(double fraction) {
        if (Double.isNaN(fraction)) {
            return MISSING;
        }
        double p = fraction * 100;
        if (p > 0 && p < 0.05) {
            return "<0.1%";
        }
        return String.format(Locale.ROOT, "%.1f%%", p);
    }

    static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    /** Bits per second: {@code 6.55 Mb/s}. */
    static String bitsPerSecond(double bps) {
        if (bps >= 1e9) {
            return significant(bps / 1e9) + " Gb/s";
        }
        if (bps >= 1e6) {
            return significant(bps / 1e6) + " Mb/s";
        }
        if (bps >= 1e3) {
            return significant(bps / 1e3) + " kb/s";
        }
        return significant(bps) + " b/s";
    }

    /** Coordinates in SVG: one decimal is far below a pixel. */
    static String coordinate(double v) {
        long tenths = Math.round(v * 10);
        return tenths % 10 == 0 ? Long.toString(tenths / 10) : String.format(Locale.ROOT, "%.1f", tenths / 10.0);
    }
}
