package io.vnettracer.probe.identity;

import static io.vnettracer.bpf.asm.Reg.*;
import static io.vnettracer.probe.identity.PacketHeaders.*;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Helper;
import io.vnettracer.bpf.asm.Reg;

/**
 * Emits the code that reads a packet's UDP tag at any tc hook: the IP payload is exactly
 * {@value TagTrailer#LENGTH} bytes longer than the UDP length and those bytes are (id, ~id) with a
 * nonzero id. Bytes after the IP datagram (Ethernet padding) are ignored. Fragments carry no
 * readable tag. The trailer is read with bpf_skb_load_bytes, so it may sit in paged data.
 */
public final class UdpTagReader {
    private UdpTagReader() {}

    /**
     * Emits the read. Afterwards {@code tagOut} holds the id, or 0 if the packet has no tag; when it
     * has one, {@link TagScratch#trailerOffset()} says where the trailer starts and the length field
     * is in the scratch (what {@link UdpTagStripper} needs). Clobbers R0-R5 and the scratch bytes;
     * {@code ctx} and {@code tagOut} must be R6-R9. Changes nothing in the packet.
     */
    public static void emit(Assembler a, Reg ctx, Reg tagOut, TagScratch s) {
        UdpTagWriter.requireCalleeSaved(ctx, tagOut);
        String none = "udp_tag_read_" + a.position() + "_none";
        String done = "udp_tag_read_" + a.position() + "_done";
        UdpDatagramParser.emit(a, ctx, s, none, none);
        a.mov64(R4, R2)
                .add64(R4, TagTrailer.LENGTH)
                .jne(R1, R4, none)
                .mov64(R4, R0)
                .add64(R4, ETH_HLEN)
                .jgt(R4, R3, none)                             // the skb ends before the IP datagram does
                .sub64(R4, TagTrailer.LENGTH)
                .stx(4, R10, s.trailerOffset(), R4)
                .mov64(R1, ctx)
                .mov64(R2, R4)
                .mov64(R3, R10)
                .add64(R3, s.trailer())
                .mov64(R4, TagTrailer.LENGTH)
                .call(Helper.SKB_LOAD_BYTES)
                .jne(R0, 0, none)
                .ldx(4, R1, R10, s.trailer())
                .jeq(R1, 0, none)
                .ldx(4, R2, R10, s.trailer() + 4)
                .xor32(R2, -1)
                .jne(R1, R2, none)
                .toBigEndian(R1, 32)
                .mov64(tagOut, R1)
                .ja(done)
                .label(none)
                .mov64(tagOut, 0)
                .label(done);
    }
}
