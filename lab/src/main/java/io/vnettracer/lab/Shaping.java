package io.vnettracer.lab;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Shaping on the switch port toward a VM, i.e. of the traffic the VM receives. {@code qdisc} is
 * {@code tbf} (default: {@code rate}, {@code burst}, {@code latency}) or {@code htb} (one class:
 * {@code rate}, {@code ceil}, {@code burst}). Sizes and rates are written as tc(8) reads them
 * ("100mbit", "32kb", "20ms").
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Shaping(String qdisc, String rate, String burst, String latency, String ceil) {
    public static final String TBF = "tbf";
    public static final String HTB = "htb";
    static final String DEFAULT_BURST = "64kb";
    static final String DEFAULT_LATENCY = "50ms";

    /** The queueing discipline, {@code tbf} unless the file says otherwise. */
    public String kind() {
        return qdisc == null ? TBF : qdisc;
    }

    String burstOrDefault() {
        return burst == null ? DEFAULT_BURST : burst;
    }

    String latencyOrDefault() {
        return latency == null ? DEFAULT_LATENCY : latency;
    }

    String ceilOrRate() {
        return ceil == null ? rate : ceil;
    }

    /** One line for status output. */
    public String describe() {
        return kind().equals(HTB)
                ? "htb rate " + rate + " ceil " + ceilOrRate() + (burst == null ? "" : " burst " + burst)
                : "tbf rate " + rate + " burst " + burstOrDefault() + " latency " + latencyOrDefault();
    }
}
