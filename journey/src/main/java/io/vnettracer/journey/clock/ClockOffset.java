package io.vnettracer.journey.clock;

/**
 * A node's clock minus the reference's: a timestamp {@code t} of the node is {@code t - offsetNanos}
 * on the reference clock, within ± {@code uncertaintyNanos}.
 */
public record ClockOffset(long offsetNanos, long uncertaintyNanos) {
    /** The reference itself, or a node known to share its clock. */
    public static final ClockOffset ZERO = new ClockOffset(0, 0);

    public ClockOffset {
        if (uncertaintyNanos < 0) {
            throw new IllegalArgumentException("uncertainty must not be negative, got " + uncertaintyNanos + " ns");
        }
    }

    /** The node's timestamp {@code nodeNanos} on the reference clock. */
    public long toReference(long nodeNanos) {
        return nodeNanos - offsetNanos;
    }

    /** The smallest offset this allows. */
    public long low() {
        return offsetNanos - uncertaintyNanos;
    }

    /** The largest offset this allows. */
    public long high() {
        return offsetNanos + uncertaintyNanos;
    }

    /** Whether {@code offset} lies within ± the uncertainty. */
    public boolean allows(long offset) {
        return offset >= low() && offset <= high();
    }

    /** The narrowest offset (midpoint, half-width rounded up) that covers [{@code low}, {@code high}]. */
    static ClockOffset covering(double low, double high) {
        if (!(low <= high) || Double.isInfinite(low) || Double.isInfinite(high)) {
            throw new IllegalArgumentException("not a bounded interval: [" + low + ", " + high + "]");
        }
        long mid = Math.round((low + high) / 2);
        long half = (long) Math.ceil(Math.max(mid - low, high - mid));
        return new ClockOffset(mid, half);
    }
}
