/**
 * Extracting the packet key ({@link io.vnettracer.event.PacketKeyLayout}) from a packet inside an
 * eBPF program: {@link io.vnettracer.probe.packet.KeyExtractor} emits the parsing code for tc,
 * XDP and cgroup_skb contexts, reading the packet by direct packet access with a bounds check
 * before every read. The key lands on the program's stack, where filters and record writers read
 * it. Not for tracepoint probes, which see a {@code struct sk_buff} and must read it with
 * helpers (bpf_probe_read_kernel), not by direct packet access. An extractor is immutable; the
 * {@code Assembler} it emits into belongs to one thread.
 */
package io.vnettracer.probe.packet;
