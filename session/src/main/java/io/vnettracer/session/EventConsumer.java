package io.vnettracer.session;

import io.vnettracer.event.EventView;

/**
 * Receives events on the session's drain thread. The view is valid only during the call: copy what
 * you keep. Must not block.
 */
@FunctionalInterface
public interface EventConsumer {
    void onEvent(EventView event);

    /** Called after each drain pass, with the number of events it handed over (0 when idle). */
    default void afterDrain(int events) {}
}
