package io.vnettracer.demo;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What sockperf ping-pong reported: its latency is half the round trip measured in user space, in
 * microseconds.
 */
public record SockperfResult(double meanUs, double p50Us, double p90Us, double p99Us, double p999Us,
                             long observations, long warmUpNanos, long validNanos) {
    private static final Pattern MEAN = Pattern.compile("avg-latency=([0-9.]+)");
    private static final Pattern OBSERVATIONS = Pattern.compile("Total (\\d+) observations");
    private static final Pattern WARM_UP = Pattern.compile("Warm up time=(\\d+) msec");
    private static final Pattern VALID = Pattern.compile("\\[Valid Duration\\] RunTime=([0-9.]+) sec");

    /** Parses sockperf's text report; fails naming what is missing. */
    public static SockperfResult parse(String report) {
        return new SockperfResult(number(MEAN, report, "avg-latency"), percentile(report, "50.000"),
                percentile(report, "90.000"), percentile(report, "99.000"), percentile(report, "99.900"),
                (long) number(OBSERVATIONS, report, "observations"),
                (long) (number(WARM_UP, report, "warm-up time") * 1_000_000),
                (long) (number(VALID, report, "valid duration") * 1e9));
    }

    private static double percentile(String report, String which) {
        Pattern p = Pattern.compile("percentile " + Pattern.quote(which) + " =\\s*([0-9.]+)");
        return number(p, report, "percentile " + which);
    }

    private static double number(Pattern p, String report, String what) {
        Matcher m = p.matcher(report);
        if (!m.find()) {
            throw new IllegalStateException("sockperf's report has no " + what + ":\n" + report);
        }
        return Double.parseDouble(m.group(1));
    }
}
