/**
 * pcapng export of a trace: one interface per probe, one packet per record, with headers
 * synthesized from the record's packet key (the probes capture no packet bytes) and the probe,
 * kernel timestamp, kind and tag in each packet's comment. For Wireshark and tshark; not a packet
 * capture, and not a way to read records back into the tracer (the events file is).
 */
package io.vnettracer.sinks.pcapng;
