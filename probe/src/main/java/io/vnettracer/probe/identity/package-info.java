/**
 * Explicit packet identity (tag mode): eBPF code generators that put a 32-bit random id on a
 * packet at the sender's first tc probe, read it at any later tc probe, and take it off again at a
 * traced receiver.
 *
 * <p>UDP carries the id as an 8-byte trailer (id, ~id) after the UDP datagram, inside the IP
 * datagram: only the IP length grows, so a receiver that is not traced trims it away (the kernel
 * drops bytes beyond the UDP length) and the application reads exactly what was sent. See
 * docs/IDENTITY.md for the conditions under which a packet is left untagged, and why. TCP carries
 * it as an RFC 6994 experimental option written by a sock_ops program ({@link TcpTagOption}),
 * optionally for one network namespace only, and read at tc hooks by {@link TcpTagReader}.
 *
 * <p>The generators emit code into a caller's {@link io.vnettracer.bpf.asm.Assembler}; each states
 * the registers it clobbers and the stack bytes it uses ({@link TagScratch}). They are not for XDP
 * (no bpf_skb_* helpers there) nor for tunnelled packets (the tag goes on the outer datagram only if
 * the probe sits where the outer headers are).
 */
package io.vnettracer.probe.identity;
