/**
 * Extracting the packet key ({@link io.vnettracer.event.PacketKeyLayout}) from a packet inside an
 * eBPF program: {@link io.vnettracer.probe.packet.KeyExtractor} emits the parsing code for tc,
 * XDP and cgroup_skb contexts, reading the packet by direct packet access with a bounds check
 * before every read. The key lands on the program's stack, where filters and record writers read
 * it. Not for tracepoint probes, which see a {@code struct sk_buff} and must read it with
 * helpers; and not thread-unsafe in any interesting way: an extractor is an immutable description,
 * emitting into an {@code Assembler} that belongs to one thread.
 */
package io.vnettracer.probe.packet;
