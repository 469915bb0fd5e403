package io.vnettracer.sinks.report;

import java.util.List;

/**
 * Latency percentiles in microseconds; {@code NaN} for one not reported (the tracer's summaries
 * carry no p99.9).
 */
record Percentiles(double p50, double p90, double p99, double p999) {
    /** The percentiles the report compares, in chart order. */
    enum Rank {
        P50("p50", "p50_us"),
        P90("p90", "p90_us"),
        P99("p99", "p99_us"),
        P999("p99.9", "p999_us");

        private final String label;
        private final String key;

        Rank(String label, String key) {
            this.label = label;
            this.key = key;
        }

        String label() {
            return label;
        }

        /** The key in demo.json. */
        String key() {
            return key;
        }
    }

    static final List<Rank> RANKS = List.of(Rank.values());

    double of(Rank rank) {
        return switch (rank) {
            case P50 -> p50;
            case P90 -> p90;
            case P99 -> p99;
            case P999 -> p999;
        };
    }

    /** Reads {@code p50_us .. p999_us}; p99.9 may be left out when {@code p999Optional}. */
    static Percentiles read(JsonFields fields, boolean p999Optional) {
        double[] values = new double[RANKS.size()];
        for (Rank rank : RANKS) {
            double v = rank == Rank.P999 && p999Optional ? fields.numberOrNaN(rank.key()) : fields.number(rank.key());
            if (v < 0) {
                throw fields.problem(rank.key() + ": " + v + " is negative; latencies are at least 0 µs");
            }
            values[rank.ordinal()] = v;
        }
        return new Percentiles(values[0], values[1], values[2], values[3]);
    }
}
