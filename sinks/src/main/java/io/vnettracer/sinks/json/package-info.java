/**
 * The JSON summary a trace leaves for scripts ({@code --json FILE}): the versioned contract of
 * docs/JOURNEYS.md, written from a {@link io.vnettracer.journey.Summary} with Jackson's streaming
 * generator. A writer holds no state between calls; each call writes one whole document.
 */
package io.vnettracer.sinks.json;
