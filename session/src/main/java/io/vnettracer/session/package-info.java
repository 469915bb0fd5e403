/**
 * A live tracing session: probes attached (each in its namespace), reconfigured and detached while
 * traffic flows; one thread that drains the shared ring buffer, checks and counts every event, and
 * hands it to the consumer; counts of everything lost (ring full, undecodable events).
 *
 * <p>{@link io.vnettracer.session.TraceSession} methods may be called from any thread; the consumer is
 * called on the session's drain thread only.
 */
package io.vnettracer.session;
