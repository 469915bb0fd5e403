/**
 * The filter language: the part of pcap-filter(7) that concerns IP packets ({@code host},
 * {@code net}, {@code port}, {@code portrange}, {@code tcp}, {@code udp}, {@code icmp},
 * {@code icmp6}, {@code ip}, {@code ip6}, {@code len}, with {@code src}/{@code dst} and
 * {@code and}/{@code or}/{@code not}), compiled to eBPF in-process in named passes:
 * {@link io.vnettracer.probe.filter.Lexer} → {@link io.vnettracer.probe.filter.Parser} (an
 * {@link io.vnettracer.probe.filter.Expr} tree of records) → {@link io.vnettracer.probe.filter.Checker}
 * → {@link io.vnettracer.probe.filter.FilterCompiler}. {@link io.vnettracer.probe.filter.Filter}
 * runs the first three. Every refusal is a {@link io.vnettracer.probe.filter.FilterException} with
 * the column. See docs/FILTERS.md for the language.
 *
 * <p>The compiled code reads only the packet key that {@code io.vnettracer.probe.packet.KeyExtractor}
 * left on the stack, so a filter can only test what the key holds: no MAC addresses, no
 * payload, no IPv6 extension-header chasing. Parsing is pure and thread-safe; a
 * {@code FilterCompiler} numbers its labels and belongs to one program build at a time.
 */
package io.vnettracer.probe.filter;
