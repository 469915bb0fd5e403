package io.vnettracer.probe.identity;

import static io.vnettracer.bpf.asm.Reg.*;
import static io.vnettracer.probe.identity.PacketHeaders.*;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Helper;
import io.vnettracer.bpf.asm.Reg;

/**
 * Emits the change of the IP length field by {@code delta} bytes, after a parse filled the
 * scratch's length field and its offset: IPv4 gets its header checksum fixed incrementally
 * (bpf_l3_csum_replace with the old and new field), IPv6 has no header checksum. The two header
 * edits cancel in a CHECKSUM_COMPLETE sum, so neither asks the helper to recompute skb->csum.
 * Jumps to {@code failed} if a helper refuses; clobbers R0-R5.
 */
final class IpLengthEdit {
    private IpLengthEdit() {}

    static void emit(Assembler a, Reg ctx, TagScratch s, int delta, String failed) {
        String store = "ip_length_store_" + a.position();
        a.ldx(2, R2, R10, s.lengthField())
                .toBigEndian(R2, 16)
                .add64(R2, delta)
                .toBigEndian(R2, 16)
                .stx(2, R10, s.newLengthField(), R2)
                .ldx(4, R4, R10, s.lengthFieldOffset())
                .jne(R4, IPV4_TOT_LEN_AT, store)
                .mov64(R1, ctx)
                .mov64(R2, IPV4_CHECK_AT)
                .ldx(2, R3, R10, s.lengthField())
                .ldx(2, R4, R10, s.newLengthField())
                .mov64(R5, SkbHelperFlags.FIELD_SIZE_2)
                .call(Helper.L3_CSUM_REPLACE)
                .jne(R0, 0, failed)
                .label(store)
                .mov64(R1, ctx)
                .ldx(4, R2, R10, s.lengthFieldOffset())
                .mov64(R3, R10)
                .add64(R3, s.newLengthField())
                .mov64(R4, 2)
                .mov64(R5, 0)
                .call(Helper.SKB_STORE_BYTES)
                .jne(R0, 0, failed);
    }
}
