/**
 * The raw events file: every record a trace decoded, as the probes wrote it, behind a small
 * header ({@link io.vnettracer.sinks.events.EventFileFormat}, docs/EVENTS_FILE.md), for replay
 * and offline analysis. The writer is for one thread (the session's drain thread).
 */
package io.vnettracer.sinks.events;
