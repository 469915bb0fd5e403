package io.vnettracer.journey.clock;

/** A closed interval of ns, possibly unbounded on either side (infinite ends). */
record Interval(double low, double high) {
    static final Interval ALL = new Interval(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY);

    static Interval of(ClockOffset o) {
        return new Interval(o.low(), o.high());
    }

    boolean bounded() {
        return !Double.isInfinite(low) && !Double.isInfinite(high);
    }

    boolean empty() {
        return low > high;
    }

    double width() {
        return high - low;
    }

    Interval plus(Interval o) {
        return new Interval(low + o.low, high + o.high);
    }

    Interval minus(Interval o) {
        return new Interval(low - o.high, high - o.low);
    }

    Interval negate() {
        return new Interval(-high, -low);
    }

    Interval intersect(Interval o) {
        return new Interval(Math.max(low, o.low), Math.min(high, o.high));
    }

    Interval hull(Interval o) {
        return new Interval(Math.min(low, o.low), Math.max(high, o.high));
    }

    Interval shift(double by) {
        return new Interval(low + by, high + by);
    }
}
