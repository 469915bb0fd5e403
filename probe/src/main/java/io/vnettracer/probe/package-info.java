/**
 * The probe layer: turns a tracing script (probes, rules, actions, identity mode) into eBPF
 * programs and maps. Sub-packages: {@code packet} (extracting the packet key from a packet),
 * {@code filter} (the pcap-style filter language: parse, check, compile), {@code identity}
 * (packet tags and fingerprints). Knows nothing of sessions or journeys.
 */
package io.vnettracer.probe;
