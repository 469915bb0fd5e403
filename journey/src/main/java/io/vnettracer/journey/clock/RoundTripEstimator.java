package io.vnettracer.journey.clock;

/**
 * Cristian's algorithm: the local side sends a request at {@code sent} (its clock), the node answers
 * with a reading {@code remote} of its clock taken somewhere in between, the answer arrives at
 * {@code received}. The reading was taken within [sent, received], so the node's offset lies within
 * {@code remote - received .. remote - sent}: midpoint {@code remote - (sent + received) / 2}, ± half
 * the round trip. Of many exchanges the shortest round trip is kept (the least queueing, the
 * tightest bound). Not thread-safe; allocation-free.
 */
public final class RoundTripEstimator {
    private long bestRoundTrip = Long.MAX_VALUE;
    private long bestSent;
    private long bestRemote;
    private long samples;
    private long refused;

    /**
     * One exchange, every time in ns.
     *
     * @param sent     the local clock when the request left
     * @param remote   the node's clock as it answered
     * @param received the local clock when the answer arrived
     */
    public void add(long sent, long remote, long received) {
        long roundTrip = received - sent;
        if (roundTrip < 0) {
            refused++; // a reply before its request: not a reading of the local clock
            return;
        }
        samples++;
        if (roundTrip < bestRoundTrip) {
            bestRoundTrip = roundTrip;
            bestSent = sent;
            bestRemote = remote;
        }
    }

    /** Whether any exchange has been added. */
    public boolean hasEstimate() {
        return samples > 0;
    }

    /** The node's clock minus the local one, ± half the shortest round trip. */
    public ClockOffset estimate() {
        if (samples == 0) throw new IllegalStateException("no round trip measured yet");
        // remote - (sent + rtt/2), with the half rounded so that the interval still covers both ends
        long half = (bestRoundTrip + 1) / 2;
        return new ClockOffset(bestRemote - bestSent - bestRoundTrip / 2, half);
    }

    /** Exchanges counted. */
    public long samples() {
        return samples;
    }

    /** Exchanges refused because their reply came before their request. */
    public long refused() {
        return refused;
    }

    /** The shortest round trip seen, ns. */
    public long bestRoundTrip() {
        return bestRoundTrip;
    }
}
