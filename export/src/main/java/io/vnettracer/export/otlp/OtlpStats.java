package io.vnettracer.export.otlp;

/**
 * What an OTLP sink did with the journeys it saw.
 *
 * @param sampled       journeys picked by the 1-in-N sampling
 * @param exported      sampled journeys the receiver accepted
 * @param spans         spans the receiver accepted
 * @param queueDropped  sampled journeys dropped because the export queue was full
 * @param failed        sampled journeys whose batch the receiver refused or never got
 * @param rejectedSpans spans the receiver reported rejected in a partial success
 * @param noSightings   sampled journeys seen only by drop probes: no time to place a span at, not exported
 * @param truncated     journeys with more sightings than a queue slot holds, exported without the last ones
 * @param lastError     the last export failure, or null
 */
public record OtlpStats(long sampled, long exported, long spans, long queueDropped, long failed, long rejectedSpans,
                        long noSightings, long truncated, String lastError) {

    /** True when every sampled journey that had a sighting reached the receiver whole. */
    public boolean complete() {
        return queueDropped == 0 && failed == 0 && rejectedSpans == 0 && truncated == 0;
    }

    @Override
    public String toString() {
        return "sampled " + sampled + " journeys, exported " + exported + " (" + spans + " spans), queue full for "
                + queueDropped + ", failed " + failed + ", spans rejected " + rejectedSpans + ", drop-only (not exported) "
                + noSightings + ", truncated " + truncated + (lastError == null ? "" : "; last error: " + lastError);
    }
}
