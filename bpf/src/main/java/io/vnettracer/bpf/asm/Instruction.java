package io.vnettracer.bpf.asm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One 8-byte slot of a program, as struct bpf_insn in include/uapi/linux/bpf.h:
 * {@code u8 code; u8 dst_reg:4, src_reg:4; s16 off; s32 imm;}, little-endian.
 * A 64-bit immediate load takes two slots; the second has opcode 0 and carries the high half.
 */
public record Instruction(int opcode, int dst, int src, short offset, int imm) {
    public static final int SIZE = 8;

    public Instruction {
        if (opcode < 0 || opcode > 0xff) {
            throw new IllegalArgumentException("opcode out of range: " + opcode);
        }
        if (dst < 0 || dst > 15 || src < 0 || src > 15) {
            throw new IllegalArgumentException("register field out of range: dst=" + dst + " src=" + src);
        }
    }

    /** The 8 bytes of this slot as a little-endian long (byte 0 is the opcode). */
    public long encode() {
        return (opcode & 0xffL)
                | ((long) ((src << 4) | dst) & 0xff) << 8
                | (offset & 0xffffL) << 16
                | (imm & 0xffffffffL) << 32;
    }

    public static Instruction decode(long slot) {
        int regs = (int) (slot >>> 8) & 0xff;
        return new Instruction((int) slot & 0xff, regs & 0x0f, regs >>> 4,
                (short) (slot >>> 16), (int) (slot >>> 32));
    }

    public void writeTo(MemorySegment segment, long byteOffset) {
        segment.set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), byteOffset, encode());
    }

    /** Whether this is the first slot of a 64-bit immediate load (BPF_LD | BPF_IMM | BPF_DW). */
    public boolean isLoadImm64() {
        return opcode == (Opcode.BPF_LD | Opcode.BPF_IMM | Opcode.BPF_DW);
    }

    public Instruction withOffset(int newOffset) {
        if (newOffset < Short.MIN_VALUE || newOffset > Short.MAX_VALUE) {
            throw new IllegalArgumentException("jump offset " + newOffset + " does not fit 16 bits");
        }
        return new Instruction(opcode, dst, src, (short) newOffset, imm);
    }

    public Instruction withImm(int newImm) {
        return new Instruction(opcode, dst, src, offset, newImm);
    }
}
