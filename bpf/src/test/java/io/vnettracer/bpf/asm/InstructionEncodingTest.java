package io.vnettracer.bpf.asm;

import static io.vnettracer.bpf.asm.Opcode.*;
import static io.vnettracer.bpf.asm.Reg.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every instruction form the kernel accepts, assembled and compared with bytes written out by hand
 * from Documentation/bpf/standardization/instruction-set.rst: byte 0 the opcode, byte 1 the
 * registers (src in the high nibble, dst in the low), bytes 2-3 the s16 offset and bytes 4-7 the
 * s32 immediate, both little-endian. Each case also gives the text the disassembler must print for
 * those bytes, in the notation of kernel/bpf/disasm.c.
 *
 * <p>Each program starts with the label {@code self} at slot 0, so a jump to it from slot 0 has
 * offset -1 ({@code ff ff}).
 */
class InstructionEncodingTest {

    /** One instruction: what it prints as, its bytes, and how to emit it. */
    record Case(String text, String bytes, UnaryOperator<Assembler> emit) {}

    static Case c(String text, String bytes, UnaryOperator<Assembler> emit) {
        return new Case(text, bytes, emit);
    }

    static final List<Case> ALU64 = List.of(
            c("r0 = 1", "b7 00 00 00 01 00 00 00", a -> a.mov64(R0, 1)),
            c("r1 = 5", "b7 01 00 00 05 00 00 00", a -> a.mov64(R1, 5)),
            c("r1 = r2", "bf 21 00 00 00 00 00 00", a -> a.mov64(R1, R2)),
            c("r1 += 5", "07 01 00 00 05 00 00 00", a -> a.add64(R1, 5)),
            c("r1 += -1", "07 01 00 00 ff ff ff ff", a -> a.add64(R1, -1)),
            c("r1 += r2", "0f 21 00 00 00 00 00 00", a -> a.add64(R1, R2)),
            c("r1 -= 5", "17 01 00 00 05 00 00 00", a -> a.sub64(R1, 5)),
            c("r1 -= r2", "1f 21 00 00 00 00 00 00", a -> a.sub64(R1, R2)),
            c("r1 *= 5", "27 01 00 00 05 00 00 00", a -> a.mul64(R1, 5)),
            c("r1 *= r2", "2f 21 00 00 00 00 00 00", a -> a.mul64(R1, R2)),
            c("r1 /= 5", "37 01 00 00 05 00 00 00", a -> a.div64(R1, 5)),
            c("r1 /= r2", "3f 21 00 00 00 00 00 00", a -> a.div64(R1, R2)),
            c("r1 |= 5", "47 01 00 00 05 00 00 00", a -> a.or64(R1, 5)),
            c("r1 |= r2", "4f 21 00 00 00 00 00 00", a -> a.or64(R1, R2)),
            c("r1 &= 255", "57 01 00 00 ff 00 00 00", a -> a.and64(R1, 0xff)),
            c("r1 &= r2", "5f 21 00 00 00 00 00 00", a -> a.and64(R1, R2)),
            c("r1 <<= 32", "67 01 00 00 20 00 00 00", a -> a.lsh64(R1, 32)),
            c("r1 <<= r2", "6f 21 00 00 00 00 00 00", a -> a.lsh64(R1, R2)),
            c("r1 >>= 32", "77 01 00 00 20 00 00 00", a -> a.rsh64(R1, 32)),
            c("r1 >>= r2", "7f 21 00 00 00 00 00 00", a -> a.rsh64(R1, R2)),
            c("r1 = -r1", "87 01 00 00 00 00 00 00", a -> a.neg64(R1)),
            c("r1 %= 5", "97 01 00 00 05 00 00 00", a -> a.mod64(R1, 5)),
            c("r1 %= r2", "9f 21 00 00 00 00 00 00", a -> a.mod64(R1, R2)),
            c("r1 ^= 5", "a7 01 00 00 05 00 00 00", a -> a.xor64(R1, 5)),
            c("r1 ^= r2", "af 21 00 00 00 00 00 00", a -> a.xor64(R1, R2)),
            c("r1 s>>= 3", "c7 01 00 00 03 00 00 00", a -> a.arsh64(R1, 3)),
            c("r1 s>>= r2", "cf 21 00 00 00 00 00 00", a -> a.arsh64(R1, R2)),
            c("r9 += r10", "0f a9 00 00 00 00 00 00", a -> a.alu64(BPF_ADD, R9, R10)),
            // cpu v4: signed division and modulo are marked by offset 1.
            c("r1 s/= r2", "3f 21 01 00 00 00 00 00", a -> a.sdiv64(R1, R2)),
            c("r1 s/= -3", "37 01 01 00 fd ff ff ff", a -> a.sdiv64(R1, -3)),
            c("r1 s%= r2", "9f 21 01 00 00 00 00 00", a -> a.smod64(R1, R2)),
            c("r1 s%= 7", "97 01 01 00 07 00 00 00", a -> a.smod64(R1, 7)),
            // cpu v4: sign-extending moves put the source width in the offset.
            c("r1 = (s8)r2", "bf 21 08 00 00 00 00 00", a -> a.movsx64(R1, R2, 8)),
            c("r1 = (s16)r2", "bf 21 10 00 00 00 00 00", a -> a.movsx64(R1, R2, 16)),
            c("r1 = (s32)r2", "bf 21 20 00 00 00 00 00", a -> a.movsx64(R1, R2, 32)),
            // Arena pointers: offset 1, imm = dst_as << 16 | src_as.
            c("r1 = addr_space_cast(r2, 0, 1)", "bf 21 01 00 01 00 00 00", a -> a.addrSpaceCast(R1, R2, 0, 1)),
            c("r1 = addr_space_cast(r1, 1, 0)", "bf 11 01 00 00 00 01 00", a -> a.addrSpaceCast(R1, R1, 1, 0)));

    static final List<Case> ALU32 = List.of(
            c("w1 = 5", "b4 01 00 00 05 00 00 00", a -> a.mov32(R1, 5)),
            c("w1 = w2", "bc 21 00 00 00 00 00 00", a -> a.mov32(R1, R2)),
            c("w1 += 5", "04 01 00 00 05 00 00 00", a -> a.add32(R1, 5)),
            c("w1 += w2", "0c 21 00 00 00 00 00 00", a -> a.add32(R1, R2)),
            c("w1 -= 5", "14 01 00 00 05 00 00 00", a -> a.sub32(R1, 5)),
            c("w1 -= w2", "1c 21 00 00 00 00 00 00", a -> a.sub32(R1, R2)),
            c("w1 *= 5", "24 01 00 00 05 00 00 00", a -> a.mul32(R1, 5)),
            c("w1 *= w2", "2c 21 00 00 00 00 00 00", a -> a.mul32(R1, R2)),
            c("w1 /= 5", "34 01 00 00 05 00 00 00", a -> a.div32(R1, 5)),
            c("w1 /= w2", "3c 21 00 00 00 00 00 00", a -> a.div32(R1, R2)),
            c("w1 |= 5", "44 01 00 00 05 00 00 00", a -> a.or32(R1, 5)),
            c("w1 |= w2", "4c 21 00 00 00 00 00 00", a -> a.or32(R1, R2)),
            c("w1 &= 65535", "54 01 00 00 ff ff 00 00", a -> a.and32(R1, 0xffff)),
            c("w1 &= w2", "5c 21 00 00 00 00 00 00", a -> a.and32(R1, R2)),
            c("w1 <<= 8", "64 01 00 00 08 00 00 00", a -> a.lsh32(R1, 8)),
            c("w1 <<= w2", "6c 21 00 00 00 00 00 00", a -> a.lsh32(R1, R2)),
            c("w1 >>= 8", "74 01 00 00 08 00 00 00", a -> a.rsh32(R1, 8)),
            c("w1 >>= w2", "7c 21 00 00 00 00 00 00", a -> a.rsh32(R1, R2)),
            c("w1 = -w1", "84 01 00 00 00 00 00 00", a -> a.neg32(R1)),
            c("w1 %= 5", "94 01 00 00 05 00 00 00", a -> a.mod32(R1, 5)),
            c("w1 %= w2", "9c 21 00 00 00 00 00 00", a -> a.mod32(R1, R2)),
            c("w1 ^= -1", "a4 01 00 00 ff ff ff ff", a -> a.xor32(R1, -1)),
            c("w1 ^= w2", "ac 21 00 00 00 00 00 00", a -> a.xor32(R1, R2)),
            c("w1 s>>= 4", "c4 01 00 00 04 00 00 00", a -> a.arsh32(R1, 4)),
            c("w1 s>>= w2", "cc 21 00 00 00 00 00 00", a -> a.arsh32(R1, R2)),
            c("w3 -= w4", "1c 43 00 00 00 00 00 00", a -> a.alu32(BPF_SUB, R3, R4)),
            c("w1 s/= w2", "3c 21 01 00 00 00 00 00", a -> a.sdiv32(R1, R2)),
            c("w1 s/= 5", "34 01 01 00 05 00 00 00", a -> a.sdiv32(R1, 5)),
            c("w1 s%= w2", "9c 21 01 00 00 00 00 00", a -> a.smod32(R1, R2)),
            c("w1 s%= 5", "94 01 01 00 05 00 00 00", a -> a.smod32(R1, 5)),
            c("w1 = (s8)w2", "bc 21 08 00 00 00 00 00", a -> a.movsx32(R1, R2, 8)),
            c("w1 = (s16)w2", "bc 21 10 00 00 00 00 00", a -> a.movsx32(R1, R2, 16)));

    /** Byte order: BPF_ALU | BPF_END with TO_BE (0x08) or TO_LE (0x00), imm the width; bswap is ALU64. */
    static final List<Case> BYTE_ORDER = List.of(
            c("r1 = be16 r1", "dc 01 00 00 10 00 00 00", a -> a.toBigEndian(R1, 16)),
            c("r1 = be32 r1", "dc 01 00 00 20 00 00 00", a -> a.toBigEndian(R1, 32)),
            c("r1 = be64 r1", "dc 01 00 00 40 00 00 00", a -> a.toBigEndian(R1, 64)),
            c("r1 = le16 r1", "d4 01 00 00 10 00 00 00", a -> a.toLittleEndian(R1, 16)),
            c("r1 = le32 r1", "d4 01 00 00 20 00 00 00", a -> a.toLittleEndian(R1, 32)),
            c("r1 = le64 r1", "d4 01 00 00 40 00 00 00", a -> a.toLittleEndian(R1, 64)),
            c("r1 = bswap16 r1", "d7 01 00 00 10 00 00 00", a -> a.byteSwap(R1, 16)),
            c("r1 = bswap32 r1", "d7 01 00 00 20 00 00 00", a -> a.byteSwap(R1, 32)),
            c("r1 = bswap64 r1", "d7 01 00 00 40 00 00 00", a -> a.byteSwap(R1, 64)));

    /** Conditional jumps to {@code self} (slot 0) from slot 0: offset -1. */
    static final List<Case> JMP = List.of(
            c("if r1 == 0x5 goto -1", "15 01 ff ff 05 00 00 00", a -> a.jeq(R1, 5, "self")),
            c("if r1 == r2 goto -1", "1d 21 ff ff 00 00 00 00", a -> a.jeq(R1, R2, "self")),
            c("if r1 > 0x5 goto -1", "25 01 ff ff 05 00 00 00", a -> a.jgt(R1, 5, "self")),
            c("if r1 > r2 goto -1", "2d 21 ff ff 00 00 00 00", a -> a.jgt(R1, R2, "self")),
            c("if r1 >= 0x5 goto -1", "35 01 ff ff 05 00 00 00", a -> a.jge(R1, 5, "self")),
            c("if r1 >= r2 goto -1", "3d 21 ff ff 00 00 00 00", a -> a.jge(R1, R2, "self")),
            c("if r1 & 0x80 goto -1", "45 01 ff ff 80 00 00 00", a -> a.jset(R1, 0x80, "self")),
            c("if r1 & r2 goto -1", "4d 21 ff ff 00 00 00 00", a -> a.jset(R1, R2, "self")),
            c("if r1 != 0x800 goto -1", "55 01 ff ff 00 08 00 00", a -> a.jne(R1, 0x800, "self")),
            c("if r1 != r2 goto -1", "5d 21 ff ff 00 00 00 00", a -> a.jne(R1, R2, "self")),
            c("if r1 s> 0xfffffffe goto -1", "65 01 ff ff fe ff ff ff", a -> a.jsgt(R1, -2, "self")),
            c("if r1 s> r2 goto -1", "6d 21 ff ff 00 00 00 00", a -> a.jsgt(R1, R2, "self")),
            c("if r1 s>= 0x5 goto -1", "75 01 ff ff 05 00 00 00", a -> a.jsge(R1, 5, "self")),
            c("if r1 s>= r2 goto -1", "7d 21 ff ff 00 00 00 00", a -> a.jsge(R1, R2, "self")),
            c("if r1 < 0x5 goto -1", "a5 01 ff ff 05 00 00 00", a -> a.jlt(R1, 5, "self")),
            c("if r1 < r2 goto -1", "ad 21 ff ff 00 00 00 00", a -> a.jlt(R1, R2, "self")),
            c("if r1 <= 0x5 goto -1", "b5 01 ff ff 05 00 00 00", a -> a.jle(R1, 5, "self")),
            c("if r1 <= r2 goto -1", "bd 21 ff ff 00 00 00 00", a -> a.jle(R1, R2, "self")),
            c("if r1 s< 0x5 goto -1", "c5 01 ff ff 05 00 00 00", a -> a.jslt(R1, 5, "self")),
            c("if r1 s< r2 goto -1", "cd 21 ff ff 00 00 00 00", a -> a.jslt(R1, R2, "self")),
            c("if r1 s<= 0x5 goto -1", "d5 01 ff ff 05 00 00 00", a -> a.jsle(R1, 5, "self")),
            c("if r1 s<= r2 goto -1", "dd 21 ff ff 00 00 00 00", a -> a.jsle(R1, R2, "self")),
            c("if r3 >= r4 goto -1", "3d 43 ff ff 00 00 00 00", a -> a.jmp(BPF_JGE, R3, R4, "self")));

    static final List<Case> JMP32 = List.of(
            c("if w1 == 0x5 goto -1", "16 01 ff ff 05 00 00 00", a -> a.jeq32(R1, 5, "self")),
            c("if w1 == w2 goto -1", "1e 21 ff ff 00 00 00 00", a -> a.jeq32(R1, R2, "self")),
            c("if w1 > 0x5 goto -1", "26 01 ff ff 05 00 00 00", a -> a.jgt32(R1, 5, "self")),
            c("if w1 > w2 goto -1", "2e 21 ff ff 00 00 00 00", a -> a.jgt32(R1, R2, "self")),
            c("if w1 >= 0x5 goto -1", "36 01 ff ff 05 00 00 00", a -> a.jge32(R1, 5, "self")),
            c("if w1 >= w2 goto -1", "3e 21 ff ff 00 00 00 00", a -> a.jge32(R1, R2, "self")),
            c("if w1 & 0x5 goto -1", "46 01 ff ff 05 00 00 00", a -> a.jset32(R1, 5, "self")),
            c("if w1 & w2 goto -1", "4e 21 ff ff 00 00 00 00", a -> a.jset32(R1, R2, "self")),
            c("if w1 != 0x5 goto -1", "56 01 ff ff 05 00 00 00", a -> a.jne32(R1, 5, "self")),
            c("if w1 != w2 goto -1", "5e 21 ff ff 00 00 00 00", a -> a.jne32(R1, R2, "self")),
            c("if w1 s> 0x5 goto -1", "66 01 ff ff 05 00 00 00", a -> a.jsgt32(R1, 5, "self")),
            c("if w1 s> w2 goto -1", "6e 21 ff ff 00 00 00 00", a -> a.jsgt32(R1, R2, "self")),
            c("if w1 s>= 0x5 goto -1", "76 01 ff ff 05 00 00 00", a -> a.jsge32(R1, 5, "self")),
            c("if w1 s>= w2 goto -1", "7e 21 ff ff 00 00 00 00", a -> a.jsge32(R1, R2, "self")),
            c("if w1 < 0x5 goto -1", "a6 01 ff ff 05 00 00 00", a -> a.jlt32(R1, 5, "self")),
            c("if w1 < w2 goto -1", "ae 21 ff ff 00 00 00 00", a -> a.jlt32(R1, R2, "self")),
            c("if w1 <= 0x5 goto -1", "b6 01 ff ff 05 00 00 00", a -> a.jle32(R1, 5, "self")),
            c("if w1 <= w2 goto -1", "be 21 ff ff 00 00 00 00", a -> a.jle32(R1, R2, "self")),
            c("if w1 s< 0xffffffff goto -1", "c6 01 ff ff ff ff ff ff", a -> a.jslt32(R1, -1, "self")),
            c("if w1 s< w2 goto -1", "ce 21 ff ff 00 00 00 00", a -> a.jslt32(R1, R2, "self")),
            c("if w1 s<= 0x5 goto -1", "d6 01 ff ff 05 00 00 00", a -> a.jsle32(R1, 5, "self")),
            c("if w1 s<= w2 goto -1", "de 21 ff ff 00 00 00 00", a -> a.jsle32(R1, R2, "self")),
            c("if w3 != 0x0 goto -1", "56 03 ff ff 00 00 00 00", a -> a.jmp32(BPF_JNE, R3, 0, "self")));

    static final List<Case> CONTROL = List.of(
            c("goto -1", "05 00 ff ff 00 00 00 00", a -> a.ja("self")),
            // gotol keeps its offset in imm, not off.
            c("gotol -1", "06 00 00 00 ff ff ff ff", a -> a.gotoLong("self")),
            c("may_goto -1", "e5 00 ff ff 00 00 00 00", a -> a.mayGoto("self")),
            c("call bpf_map_lookup_elem#1", "85 00 00 00 01 00 00 00", a -> a.call(Helper.MAP_LOOKUP_ELEM)),
            c("call bpf_ktime_get_ns#5", "85 00 00 00 05 00 00 00", a -> a.call(Helper.KTIME_GET_NS)),
            c("call bpf_ringbuf_reserve#131", "85 00 00 00 83 00 00 00", a -> a.call(Helper.RINGBUF_RESERVE)),
            c("call unknown#999", "85 00 00 00 e7 03 00 00", a -> a.call(999)),
            // bpf-to-bpf: src = BPF_PSEUDO_CALL (1), imm the offset of the callee.
            c("call pc-1", "85 10 00 00 ff ff ff ff", a -> a.call("self")),
            // kfunc: src = BPF_PSEUDO_KFUNC_CALL (2), imm the BTF id.
            c("call kfunc#12345", "85 20 00 00 39 30 00 00", a -> a.callKfunc(12345)),
            c("exit", "95 00 00 00 00 00 00 00", Assembler::exit));

    static final List<Case> LOAD_STORE = List.of(
            c("r2 = *(u32 *)(r6 +76)", "61 62 4c 00 00 00 00 00", a -> a.ldx(4, R2, R6, 76)),
            c("r1 = *(u16 *)(r2 -2)", "69 21 fe ff 00 00 00 00", a -> a.ldx(2, R1, R2, -2)),
            c("r1 = *(u8 *)(r2 +0)", "71 21 00 00 00 00 00 00", a -> a.ldx(1, R1, R2, 0)),
            c("r1 = *(u64 *)(r10 -8)", "79 a1 f8 ff 00 00 00 00", a -> a.ldx(8, R1, R10, -8)),
            c("r1 = *(u32 *)(r2 +32767)", "61 21 ff 7f 00 00 00 00", a -> a.ldx(4, R1, R2, 32767)),
            c("r1 = *(s32 *)(r2 +4)", "81 21 04 00 00 00 00 00", a -> a.ldxs(4, R1, R2, 4)),
            c("r1 = *(s16 *)(r2 +4)", "89 21 04 00 00 00 00 00", a -> a.ldxs(2, R1, R2, 4)),
            c("r1 = *(s8 *)(r2 -1)", "91 21 ff ff 00 00 00 00", a -> a.ldxs(1, R1, R2, -1)),
            c("*(u32 *)(r10 -4) = 7", "62 0a fc ff 07 00 00 00", a -> a.st(4, R10, -4, 7)),
            c("*(u16 *)(r1 +2) = -1", "6a 01 02 00 ff ff ff ff", a -> a.st(2, R1, 2, -1)),
            c("*(u8 *)(r1 +0) = 127", "72 01 00 00 7f 00 00 00", a -> a.st(1, R1, 0, 127)),
            c("*(u64 *)(r10 -16) = 1", "7a 0a f0 ff 01 00 00 00", a -> a.st(8, R10, -16, 1)),
            c("*(u32 *)(r10 -4) = r1", "63 1a fc ff 00 00 00 00", a -> a.stx(4, R10, -4, R1)),
            c("*(u16 *)(r1 +6) = r2", "6b 21 06 00 00 00 00 00", a -> a.stx(2, R1, 6, R2)),
            c("*(u8 *)(r1 +1) = r2", "73 21 01 00 00 00 00 00", a -> a.stx(1, R1, 1, R2)),
            c("*(u64 *)(r10 -8) = r6", "7b 6a f8 ff 00 00 00 00", a -> a.stx(8, R10, -8, R6)));

    /** BPF_STX | BPF_ATOMIC: 0xc3 for 32 bits, 0xdb for 64; the operation is in imm. */
    static final List<Case> ATOMIC = List.of(
            c("lock *(u64 *)(r1 +0) += r2", "db 21 00 00 00 00 00 00", a -> a.atomicAdd(8, R1, 0, R2)),
            c("lock *(u32 *)(r1 +4) += r2", "c3 21 04 00 00 00 00 00", a -> a.atomicAdd(4, R1, 4, R2)),
            c("lock *(u64 *)(r1 +0) |= r2", "db 21 00 00 40 00 00 00", a -> a.atomicOr(8, R1, 0, R2)),
            c("lock *(u32 *)(r1 +0) |= r2", "c3 21 00 00 40 00 00 00", a -> a.atomicOr(4, R1, 0, R2)),
            c("lock *(u64 *)(r1 +0) &= r2", "db 21 00 00 50 00 00 00", a -> a.atomicAnd(8, R1, 0, R2)),
            c("lock *(u32 *)(r1 +0) &= r2", "c3 21 00 00 50 00 00 00", a -> a.atomicAnd(4, R1, 0, R2)),
            c("lock *(u64 *)(r1 +0) ^= r2", "db 21 00 00 a0 00 00 00", a -> a.atomicXor(8, R1, 0, R2)),
            c("lock *(u32 *)(r1 +0) ^= r2", "c3 21 00 00 a0 00 00 00", a -> a.atomicXor(4, R1, 0, R2)),
            c("r2 = atomic64_fetch_add((u64 *)(r1 +0), r2)", "db 21 00 00 01 00 00 00",
                    a -> a.atomicFetchAdd(8, R1, 0, R2)),
            c("r2 = atomic_fetch_add((u32 *)(r1 +0), r2)", "c3 21 00 00 01 00 00 00",
                    a -> a.atomicFetchAdd(4, R1, 0, R2)),
            c("r2 = atomic64_fetch_or((u64 *)(r1 +0), r2)", "db 21 00 00 41 00 00 00",
                    a -> a.atomicFetchOr(8, R1, 0, R2)),
            c("r2 = atomic_fetch_or((u32 *)(r1 +0), r2)", "c3 21 00 00 41 00 00 00",
                    a -> a.atomicFetchOr(4, R1, 0, R2)),
            c("r2 = atomic64_fetch_and((u64 *)(r1 +0), r2)", "db 21 00 00 51 00 00 00",
                    a -> a.atomicFetchAnd(8, R1, 0, R2)),
            c("r2 = atomic_fetch_and((u32 *)(r1 +0), r2)", "c3 21 00 00 51 00 00 00",
                    a -> a.atomicFetchAnd(4, R1, 0, R2)),
            c("r2 = atomic64_fetch_xor((u64 *)(r1 +0), r2)", "db 21 00 00 a1 00 00 00",
                    a -> a.atomicFetchXor(8, R1, 0, R2)),
            c("r2 = atomic_fetch_xor((u32 *)(r1 +0), r2)", "c3 21 00 00 a1 00 00 00",
                    a -> a.atomicFetchXor(4, R1, 0, R2)),
            c("r2 = atomic64_xchg((u64 *)(r1 -8), r2)", "db 21 f8 ff e1 00 00 00",
                    a -> a.atomicXchg(8, R1, -8, R2)),
            c("r2 = atomic_xchg((u32 *)(r1 +0), r2)", "c3 21 00 00 e1 00 00 00",
                    a -> a.atomicXchg(4, R1, 0, R2)),
            c("r0 = atomic64_cmpxchg((u64 *)(r1 +0), r0, r2)", "db 21 00 00 f1 00 00 00",
                    a -> a.atomicCmpXchg(8, R1, 0, R2)),
            c("r0 = atomic_cmpxchg((u32 *)(r1 +0), r0, r2)", "c3 21 00 00 f1 00 00 00",
                    a -> a.atomicCmpXchg(4, R1, 0, R2)),
            c("lock *(u64 *)(r3 +16) += r4", "db 43 10 00 00 00 00 00", a -> a.atomic(8, BPF_ADD, R3, 16, R4)),
            // Load-acquire (imm 0x100) and store-release (imm 0x110) take every size.
            c("r0 = load_acquire((u8 *)(r1 +0))", "d3 10 00 00 00 01 00 00", a -> a.loadAcquire(1, R0, R1, 0)),
            c("r0 = load_acquire((u64 *)(r1 +8))", "db 10 08 00 00 01 00 00", a -> a.loadAcquire(8, R0, R1, 8)),
            c("store_release((u16 *)(r1 +0), r2)", "cb 21 00 00 10 01 00 00", a -> a.storeRelease(2, R1, 0, R2)),
            c("store_release((u32 *)(r1 +4), r2)", "c3 21 04 00 10 01 00 00", a -> a.storeRelease(4, R1, 4, R2)));

    /** BPF_LD | BPF_IMM | BPF_DW (0x18) in two slots; src names what imm means. */
    static final List<Case> WIDE = List.of(
            c("r0 = 0x1122334455667788 ll", "18 00 00 00 88 77 66 55  00 00 00 00 44 33 22 11",
                    a -> a.ldImm64(R0, 0x1122334455667788L)),
            c("r1 = 0xffffffffffffffff ll", "18 01 00 00 ff ff ff ff  00 00 00 00 ff ff ff ff",
                    a -> a.ldImm64(R1, -1L)),
            c("r1 = 0x100000000 ll", "18 01 00 00 00 00 00 00  00 00 00 00 01 00 00 00",
                    a -> a.ldImm64(R1, 1L << 32)),
            c("r1 = map[fd:5]", "18 11 00 00 05 00 00 00  00 00 00 00 00 00 00 00", a -> a.ldMapFd(R1, 5)),
            c("r1 = map[fd:5]+8", "18 21 00 00 05 00 00 00  00 00 00 00 08 00 00 00",
                    a -> a.ldMapValue(R1, 5, 8)),
            c("r1 = btf_id[77]", "18 31 00 00 4d 00 00 00  00 00 00 00 00 00 00 00", a -> a.ldBtfId(R1, 77)),
            c("r1 = func pc-1", "18 41 00 00 ff ff ff ff  00 00 00 00 00 00 00 00", a -> a.ldFunc(R1, "self")),
            c("r1 = map[idx:2]", "18 51 00 00 02 00 00 00  00 00 00 00 00 00 00 00", a -> a.ldMapIdx(R1, 2)),
            c("r1 = map[idx:2]+16", "18 61 00 00 02 00 00 00  00 00 00 00 10 00 00 00",
                    a -> a.ldMapIdxValue(R1, 2, 16)));

    /** Legacy packet loads: BPF_LD | size | BPF_ABS (0x20) or BPF_IND (0x40). */
    static final List<Case> LEGACY = List.of(
            c("r0 = *(u32 *)skb[26]", "20 00 00 00 1a 00 00 00", a -> a.ldAbs(4, 26)),
            c("r0 = *(u16 *)skb[12]", "28 00 00 00 0c 00 00 00", a -> a.ldAbs(2, 12)),
            c("r0 = *(u8 *)skb[23]", "30 00 00 00 17 00 00 00", a -> a.ldAbs(1, 23)),
            c("r0 = *(u32 *)skb[r1 + 14]", "40 10 00 00 0e 00 00 00", a -> a.ldInd(4, R1, 14)),
            c("r0 = *(u16 *)skb[r1 + 14]", "48 10 00 00 0e 00 00 00", a -> a.ldInd(2, R1, 14)),
            c("r0 = *(u8 *)skb[r7 + 0]", "50 70 00 00 00 00 00 00", a -> a.ldInd(1, R7, 0)));

    static final List<List<Case>> ALL = List.of(ALU64, ALU32, BYTE_ORDER, JMP, JMP32, CONTROL, LOAD_STORE,
            ATOMIC, WIDE, LEGACY);

    static Stream<Case> allCases() {
        return ALL.stream().flatMap(List::stream);
    }

    @TestFactory
    Stream<DynamicTest> assemblesToTheHandWrittenBytes() {
        return allCases().map(c -> DynamicTest.dynamicTest(c.text(), () -> {
            Instructions program = c.emit().apply(new Assembler().label("self")).assemble();
            assertEquals(Hex.normalise(c.bytes()), Hex.of(program.toBytes()), c.text());
        }));
    }

    @TestFactory
    Stream<DynamicTest> handWrittenBytesDisassembleToKernelNotation() {
        return allCases().map(c -> DynamicTest.dynamicTest(c.text(), () -> {
            String listing = Disassembler.print(Instructions.decode(Hex.parse(c.bytes())));
            assertEquals("  0: " + c.text() + "\n", listing);
        }));
    }
}
