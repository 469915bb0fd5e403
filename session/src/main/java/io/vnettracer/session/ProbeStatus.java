package io.vnettracer.session;

/**
 * What a session knows of one probe.
 *
 * @param events events decoded from this probe
 * @param lost events the probe could not write because the ring buffer was full
 * @param packets packets counted in the kernel (count action), after filter and sampling
 * @param bytes bytes counted in the kernel
 */
public record ProbeStatus(int id, String name, String spec, String filter, int sampleEvery, boolean enabled,
                          long events, long lost, long packets, long bytes, long attachMicros) {}
