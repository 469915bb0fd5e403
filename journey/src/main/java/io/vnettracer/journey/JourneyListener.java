package io.vnettracer.journey;

/**
 * Receives every journey the joiner finalizes, in finalization (send) order, on the joiner's
 * thread. Exporters of individual journeys (the store, OTLP) hang here; flow figures do not need it.
 */
@FunctionalInterface
public interface JourneyListener {
    /** The view is reused for the next journey: copy what must outlive the call. */
    void onJourney(FinishedJourney journey);
}
