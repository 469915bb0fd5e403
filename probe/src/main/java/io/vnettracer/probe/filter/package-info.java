/**
 * The filter language: tcpdump's pcap-filter(7), checked against libpcap ({@code host}, {@code net},
 * {@code port}, {@code portrange}, {@code proto}, the protocols, {@code ether}, {@code vlan},
 * {@code len}, byte offsets such as {@code tcp[13]} with arithmetic and relations, qualifiers taken
 * over by a value alone), compiled to eBPF in-process in named passes:
 * {@link io.vnettracer.probe.filter.Lexer} → {@link io.vnettracer.probe.filter.Parser} (an
 * {@link io.vnettracer.probe.filter.Expr} tree of records) → {@link io.vnettracer.probe.filter.Checker}
 * → {@link io.vnettracer.probe.filter.FilterCompiler}. {@link io.vnettracer.probe.filter.Filter}
 * runs the first three. Every refusal is a {@link io.vnettracer.probe.filter.FilterException} with
 * the column. See docs/FILTERS.md for the language.
 *
 * <p>The compiled code of a device probe reads the packet itself, as libpcap's code would; that of
 * a probe that sees only the key {@code io.vnettracer.probe.packet.KeyExtractor} or the skb reader
 * left on the stack ({@link io.vnettracer.probe.filter.KeyCompiler}) can test only what the key
 * holds, and refuses the rest. Parsing is pure and thread-safe; a {@code FilterCompiler} numbers
 * its labels and belongs to one program build at a time.
 */
package io.vnettracer.probe.filter;
