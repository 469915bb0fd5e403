package io.vnettracer.bpf.asm;

import static io.vnettracer.bpf.asm.Opcode.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Builds a program instruction by instruction. Jumps and calls name their targets by label;
 * {@link #assemble()} resolves every label and fails on one that is missing or defined twice.
 *
 * <p>Methods are named after the kernel's mnemonics: {@code mov64(R6, R1)} is {@code r6 = r1},
 * {@code ldx(4, R2, R6, 76)} is {@code r2 = *(u32 *)(r6 +76)}; a {@code 32} suffix selects the
 * 32-bit form (BPF_ALU, BPF_JMP32). Forms the verifier would refuse for their fields alone (an 8-byte
 * sign-extending load, a 2-byte atomic add, an offset beyond 16 bits) are refused when emitted with
 * an {@link AssemblyException} naming the instruction's index.
 */
public final class Assembler {
    private enum Fixup { JUMP_OFFSET, JUMP_IMM, CALL_IMM, FUNC_IMM }

    private record Reference(int slot, String label, Fixup kind) {}

    private final List<Instruction> slots = new ArrayList<>();
    private final Map<String, Integer> labels = new LinkedHashMap<>();
    private final List<Reference> references = new ArrayList<>();

    /** Index of the next slot to be emitted. */
    public int position() {
        return slots.size();
    }

    /** Names the position of the next instruction. */
    public Assembler label(String name) {
        if (name == null || name.isBlank()) {
            throw new AssemblyException("instruction " + slots.size() + ": a label needs a non-blank name");
        }
        Integer previous = labels.putIfAbsent(name, slots.size());
        if (previous != null) {
            throw new AssemblyException("label '" + name + "' is defined twice: at instruction "
                    + previous + " and at instruction " + slots.size());
        }
        return this;
    }

    /** Appends a slot as it is. */
    public Assembler raw(Instruction insn) {
        slots.add(insn);
        return this;
    }

    private Assembler emit(int opcode, Reg dst, Reg src, int offset, int imm) {
        if (offset < Short.MIN_VALUE || offset > Short.MAX_VALUE) {
            throw new AssemblyException("instruction " + slots.size() + ": offset " + offset
                    + " does not fit the 16-bit offset field (" + Short.MIN_VALUE + ".." + Short.MAX_VALUE + ")");
        }
        slots.add(new Instruction(opcode, dst.number(), src.number(), (short) offset, imm));
        return this;
    }

    private Assembler reference(String label, Fixup kind) {
        references.add(new Reference(slots.size() - (kind == Fixup.FUNC_IMM ? 2 : 1), label, kind));
        return this;
    }

    // ---- ALU ------------------------------------------------------------------------------

    /** dst = dst OP src, 64-bit. */
    public Assembler alu64(int op, Reg dst, Reg src) {
        return emit(BPF_ALU64 | op | BPF_X, dst, src, 0, 0);
    }

    /** dst = dst OP imm, 64-bit (imm sign-extended). */
    public Assembler alu64(int op, Reg dst, int imm) {
        return emit(BPF_ALU64 | op | BPF_K, dst, Reg.R0, 0, imm);
    }

    /** w_dst = w_dst OP w_src, 32-bit; the upper half of dst is zeroed. */
    public Assembler alu32(int op, Reg dst, Reg src) {
        return emit(BPF_ALU | op | BPF_X, dst, src, 0, 0);
    }

    /** w_dst = w_dst OP imm, 32-bit. */
    public Assembler alu32(int op, Reg dst, int imm) {
        return emit(BPF_ALU | op | BPF_K, dst, Reg.R0, 0, imm);
    }

    public Assembler mov64(Reg dst, Reg src) { return alu64(BPF_MOV, dst, src); }
    public Assembler mov64(Reg dst, int imm) { return alu64(BPF_MOV, dst, imm); }
    public Assembler mov32(Reg dst, Reg src) { return alu32(BPF_MOV, dst, src); }
    public Assembler mov32(Reg dst, int imm) { return alu32(BPF_MOV, dst, imm); }
    public Assembler add64(Reg dst, Reg src) { return alu64(BPF_ADD, dst, src); }
    public Assembler add64(Reg dst, int imm) { return alu64(BPF_ADD, dst, imm); }
    public Assembler add32(Reg dst, Reg src) { return alu32(BPF_ADD, dst, src); }
    public Assembler add32(Reg dst, int imm) { return alu32(BPF_ADD, dst, imm); }
    public Assembler sub64(Reg dst, Reg src) { return alu64(BPF_SUB, dst, src); }
    public Assembler sub64(Reg dst, int imm) { return alu64(BPF_SUB, dst, imm); }
    public Assembler mul64(Reg dst, Reg src) { return alu64(BPF_MUL, dst, src); }
    public Assembler mul64(Reg dst, int imm) { return alu64(BPF_MUL, dst, imm); }
    public Assembler div64(Reg dst, Reg src) { return alu64(BPF_DIV, dst, src); }
    public Assembler div64(Reg dst, int imm) { return alu64(BPF_DIV, dst, imm); }
    public Assembler mod64(Reg dst, Reg src) { return alu64(BPF_MOD, dst, src); }
    public Assembler mod64(Reg dst, int imm) { return alu64(BPF_MOD, dst, imm); }
    public Assembler or64(Reg dst, Reg src) { return alu64(BPF_OR, dst, src); }
    public Assembler or64(Reg dst, int imm) { return alu64(BPF_OR, dst, imm); }
    public Assembler and64(Reg dst, Reg src) { return alu64(BPF_AND, dst, src); }
    public Assembler and64(Reg dst, int imm) { return alu64(BPF_AND, dst, imm); }
    public Assembler and32(Reg dst, int imm) { return alu32(BPF_AND, dst, imm); }
    public Assembler xor64(Reg dst, Reg src) { return alu64(BPF_XOR, dst, src); }
    public Assembler xor64(Reg dst, int imm) { return alu64(BPF_XOR, dst, imm); }
    public Assembler xor32(Reg dst, int imm) { return alu32(BPF_XOR, dst, imm); }
    public Assembler lsh64(Reg dst, Reg src) { return alu64(BPF_LSH, dst, src); }
    public Assembler lsh64(Reg dst, int imm) { return alu64(BPF_LSH, dst, imm); }
    public Assembler rsh64(Reg dst, Reg src) { return alu64(BPF_RSH, dst, src); }
    public Assembler rsh64(Reg dst, int imm) { return alu64(BPF_RSH, dst, imm); }
    public Assembler rsh32(Reg dst, int imm) { return alu32(BPF_RSH, dst, imm); }
    public Assembler arsh64(Reg dst, Reg src) { return alu64(BPF_ARSH, dst, src); }
    public Assembler arsh64(Reg dst, int imm) { return alu64(BPF_ARSH, dst, imm); }

    public Assembler sub32(Reg dst, Reg src) { return alu32(BPF_SUB, dst, src); }
    public Assembler sub32(Reg dst, int imm) { return alu32(BPF_SUB, dst, imm); }
    public Assembler mul32(Reg dst, Reg src) { return alu32(BPF_MUL, dst, src); }
    public Assembler mul32(Reg dst, int imm) { return alu32(BPF_MUL, dst, imm); }
    public Assembler div32(Reg dst, Reg src) { return alu32(BPF_DIV, dst, src); }
    public Assembler div32(Reg dst, int imm) { return alu32(BPF_DIV, dst, imm); }
    public Assembler mod32(Reg dst, Reg src) { return alu32(BPF_MOD, dst, src); }
    public Assembler mod32(Reg dst, int imm) { return alu32(BPF_MOD, dst, imm); }
    public Assembler or32(Reg dst, Reg src) { return alu32(BPF_OR, dst, src); }
    public Assembler or32(Reg dst, int imm) { return alu32(BPF_OR, dst, imm); }
    public Assembler and32(Reg dst, Reg src) { return alu32(BPF_AND, dst, src); }
    public Assembler xor32(Reg dst, Reg src) { return alu32(BPF_XOR, dst, src); }
    public Assembler lsh32(Reg dst, Reg src) { return alu32(BPF_LSH, dst, src); }
    public Assembler lsh32(Reg dst, int imm) { return alu32(BPF_LSH, dst, imm); }
    public Assembler rsh32(Reg dst, Reg src) { return alu32(BPF_RSH, dst, src); }
    public Assembler arsh32(Reg dst, Reg src) { return alu32(BPF_ARSH, dst, src); }
    public Assembler arsh32(Reg dst, int imm) { return alu32(BPF_ARSH, dst, imm); }

    /** dst = -dst, 64-bit. */
    public Assembler neg64(Reg dst) {
        return emit(BPF_ALU64 | BPF_NEG | BPF_K, dst, Reg.R0, 0, 0);
    }

    /** dst = -dst, 32-bit. */
    public Assembler neg32(Reg dst) {
        return emit(BPF_ALU | BPF_NEG | BPF_K, dst, Reg.R0, 0, 0);
    }

    /** dst = (sN) src: move with sign extension from 8, 16 or 32 bits (cpu v4). */
    public Assembler movsx64(Reg dst, Reg src, int fromBits) {
        checkBits(fromBits, 8, 16, 32);
        return emit(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, fromBits, 0);
    }

    /** w_dst = (sN) w_src: 32-bit move with sign extension from 8 or 16 bits (cpu v4). */
    public Assembler movsx32(Reg dst, Reg src, int fromBits) {
        checkBits(fromBits, 8, 16);
        return emit(BPF_ALU | BPF_MOV | BPF_X, dst, src, fromBits, 0);
    }

    /** Signed 64-bit division dst = dst s/ src (cpu v4: offset 1 marks signed). */
    public Assembler sdiv64(Reg dst, Reg src) {
        return emit(BPF_ALU64 | BPF_DIV | BPF_X, dst, src, SIGNED_DIVISION, 0);
    }

    /** Signed 64-bit division dst = dst s/ imm (cpu v4). */
    public Assembler sdiv64(Reg dst, int imm) {
        return emit(BPF_ALU64 | BPF_DIV | BPF_K, dst, Reg.R0, SIGNED_DIVISION, imm);
    }

    /** Signed 64-bit modulo dst = dst s% src (cpu v4). */
    public Assembler smod64(Reg dst, Reg src) {
        return emit(BPF_ALU64 | BPF_MOD | BPF_X, dst, src, SIGNED_DIVISION, 0);
    }

    /** Signed 64-bit modulo dst = dst s% imm (cpu v4). */
    public Assembler smod64(Reg dst, int imm) {
        return emit(BPF_ALU64 | BPF_MOD | BPF_K, dst, Reg.R0, SIGNED_DIVISION, imm);
    }

    /** Signed 32-bit division w_dst = w_dst s/ w_src (cpu v4). */
    public Assembler sdiv32(Reg dst, Reg src) {
        return emit(BPF_ALU | BPF_DIV | BPF_X, dst, src, SIGNED_DIVISION, 0);
    }

    /** Signed 32-bit division w_dst = w_dst s/ imm (cpu v4). */
    public Assembler sdiv32(Reg dst, int imm) {
        return emit(BPF_ALU | BPF_DIV | BPF_K, dst, Reg.R0, SIGNED_DIVISION, imm);
    }

    /** Signed 32-bit modulo w_dst = w_dst s% w_src (cpu v4). */
    public Assembler smod32(Reg dst, Reg src) {
        return emit(BPF_ALU | BPF_MOD | BPF_X, dst, src, SIGNED_DIVISION, 0);
    }

    /** Signed 32-bit modulo w_dst = w_dst s% imm (cpu v4). */
    public Assembler smod32(Reg dst, int imm) {
        return emit(BPF_ALU | BPF_MOD | BPF_K, dst, Reg.R0, SIGNED_DIVISION, imm);
    }

    /**
     * dst = src converted between arena address spaces (0 = kernel, 1 = user); only programs
     * with a BPF_MAP_TYPE_ARENA map may use it.
     */
    public Assembler addrSpaceCast(Reg dst, Reg src, int toAddressSpace, int fromAddressSpace) {
        if ((toAddressSpace & ~0xffff) != 0 || (fromAddressSpace & ~0xffff) != 0) {
            throw new AssemblyException("instruction " + slots.size() + ": address spaces are 16-bit numbers, not "
                    + toAddressSpace + " and " + fromAddressSpace);
        }
        return emit(BPF_ALU64 | BPF_MOV | BPF_X, dst, src, BPF_ADDR_SPACE_CAST,
                toAddressSpace << 16 | fromAddressSpace);
    }

    /** dst = htobe{bits}(dst): network byte order on this little-endian machine. */
    public Assembler toBigEndian(Reg dst, int bits) {
        checkBits(bits, 16, 32, 64);
        return emit(BPF_ALU | BPF_END | BPF_TO_BE, dst, Reg.R0, 0, bits);
    }

    /** dst = htole{bits}(dst): truncation to {@code bits} on a little-endian machine. */
    public Assembler toLittleEndian(Reg dst, int bits) {
        checkBits(bits, 16, 32, 64);
        return emit(BPF_ALU | BPF_END | BPF_TO_LE, dst, Reg.R0, 0, bits);
    }

    /** dst = bswap{bits}(dst), unconditional (cpu v4). */
    public Assembler byteSwap(Reg dst, int bits) {
        checkBits(bits, 16, 32, 64);
        return emit(BPF_ALU64 | BPF_END | BPF_TO_LE, dst, Reg.R0, 0, bits);
    }

    // ---- loads and stores ---------------------------------------------------------------------

    /** dst = *(uN *)(src + offset), N = 8 * bytes. */
    public Assembler ldx(int bytes, Reg dst, Reg src, int offset) {
        return emit(BPF_LDX | size(bytes, 1, 2, 4, 8) | BPF_MEM, dst, src, offset, 0);
    }

    /** dst = *(sN *)(src + offset): load with sign extension (cpu v4). */
    public Assembler ldxs(int bytes, Reg dst, Reg src, int offset) {
        return emit(BPF_LDX | size(bytes, 1, 2, 4) | BPF_MEMSX, dst, src, offset, 0);
    }

    /** *(uN *)(dst + offset) = src. */
    public Assembler stx(int bytes, Reg dst, int offset, Reg src) {
        return emit(BPF_STX | size(bytes, 1, 2, 4, 8) | BPF_MEM, dst, src, offset, 0);
    }

    /** *(uN *)(dst + offset) = imm. */
    public Assembler st(int bytes, Reg dst, int offset, int imm) {
        return emit(BPF_ST | size(bytes, 1, 2, 4, 8) | BPF_MEM, dst, Reg.R0, offset, imm);
    }

    /** Legacy packet load R0 = ntoh(*(uN *)(skb->data + imm)), socket filters and tc only. */
    public Assembler ldAbs(int bytes, int imm) {
        return emit(BPF_LD | size(bytes, 1, 2, 4) | BPF_ABS, Reg.R0, Reg.R0, 0, imm);
    }

    /** Legacy packet load R0 = ntoh(*(uN *)(skb->data + src + imm)). */
    public Assembler ldInd(int bytes, Reg src, int imm) {
        return emit(BPF_LD | size(bytes, 1, 2, 4) | BPF_IND, Reg.R0, src, 0, imm);
    }

    /** dst = imm64, in two slots. */
    public Assembler ldImm64(Reg dst, long imm) {
        return ldImm64(dst, 0, (int) imm, (int) (imm >>> 32));
    }

    /** dst = the map whose file descriptor is {@code mapFd}. */
    public Assembler ldMapFd(Reg dst, int mapFd) {
        return ldImm64(dst, BPF_PSEUDO_MAP_FD, mapFd, 0);
    }

    /** dst = address of byte {@code offset} of the value of a single-element array map. */
    public Assembler ldMapValue(Reg dst, int mapFd, int offset) {
        return ldImm64(dst, BPF_PSEUDO_MAP_VALUE, mapFd, offset);
    }

    /** dst = address of the kernel variable with this BTF id. */
    public Assembler ldBtfId(Reg dst, int btfId) {
        return ldImm64(dst, BPF_PSEUDO_BTF_ID, btfId, 0);
    }

    /** dst = the map at {@code index} in the fd_array passed with the program (BPF_PSEUDO_MAP_IDX). */
    public Assembler ldMapIdx(Reg dst, int index) {
        return ldImm64(dst, BPF_PSEUDO_MAP_IDX, index, 0);
    }

    /** dst = address of byte {@code offset} of the value of the map at fd_array[{@code index}]. */
    public Assembler ldMapIdxValue(Reg dst, int index, int offset) {
        return ldImm64(dst, BPF_PSEUDO_MAP_IDX_VALUE, index, offset);
    }

    /** dst = address of the bpf function at {@code label} (for callbacks such as bpf_loop). */
    public Assembler ldFunc(Reg dst, String label) {
        ldImm64(dst, BPF_PSEUDO_FUNC, 0, 0);
        return reference(label, Fixup.FUNC_IMM);
    }

    private Assembler ldImm64(Reg dst, int pseudo, int low, int high) {
        slots.add(new Instruction(BPF_LD | BPF_IMM | BPF_DW, dst.number(), pseudo, (short) 0, low));
        slots.add(new Instruction(0, 0, 0, (short) 0, high));
        return this;
    }

    // ---- atomics ------------------------------------------------------------------------------

    /** Atomic read-modify-write of *(uN *)(dst + offset) with src; N is 32 or 64. */
    public Assembler atomic(int bytes, int atomicOp, Reg dst, int offset, Reg src) {
        switch (atomicOp) {
            case BPF_ADD, BPF_OR, BPF_AND, BPF_XOR,
                 BPF_ADD | BPF_FETCH, BPF_OR | BPF_FETCH, BPF_AND | BPF_FETCH, BPF_XOR | BPF_FETCH,
                 BPF_XCHG, BPF_CMPXCHG -> { }
            case BPF_LOAD_ACQ, BPF_STORE_REL -> throw new AssemblyException("instruction " + slots.size()
                    + ": use loadAcquire/storeRelease for atomic operation 0x" + Integer.toHexString(atomicOp));
            default -> throw new AssemblyException("instruction " + slots.size()
                    + ": not an atomic read-modify-write operation: 0x" + Integer.toHexString(atomicOp));
        }
        return emit(BPF_STX | size(bytes, 4, 8) | BPF_ATOMIC, dst, src, offset, atomicOp);
    }

    /** lock *(uN *)(dst + offset) += src. */
    public Assembler atomicAdd(int bytes, Reg dst, int offset, Reg src) {
        return atomic(bytes, BPF_ADD, dst, offset, src);
    }

    /** src = atomic_fetch_add((uN *)(dst + offset), src). */
    public Assembler atomicFetchAdd(int bytes, Reg dst, int offset, Reg src) {
        return atomic(bytes, BPF_ADD | BPF_FETCH, dst, offset, src);
    }

    /** lock *(uN *)(dst + offset) |= src. */
    public Assembler atomicOr(int bytes, Reg dst, int offset, Reg src) {
        return atomic(bytes, BPF_OR, dst, offset, src);
    }

    /** lock *(uN *)(dst + offset) &= src. */
    public Assembler atomicAnd(int bytes, Reg dst, int offset, Reg src) {
        return atomic(bytes, BPF_AND, dst, offset, src);
    }

    /** lock *(uN *)(dst + offset) ^= src. */
    public Assembler atomicXor(int bytes, Reg dst, int offset, Reg src) {
        return atomic(bytes, BPF_XOR, dst, offset, src);
    }

    /** src = atomic_fetch_or((uN *)(dst + offset), src). */
    public Assembler atomicFetchOr(int bytes, Reg dst, int offset, Reg src) {
        return atomic(bytes, BPF_OR | BPF_FETCH, dst, offset, src);
    }

    /** src = atomic_fetch_and((uN *)(dst + offset), src). */
    public Assembler atomicFetchAnd(int bytes, Reg dst, int offset, Reg src) {
        return atomic(bytes, BPF_AND | BPF_FETCH, dst, offset, src);
    }

    /** src = atomic_fetch_xor((uN *)(dst + offset), src). */
    public Assembler atomicFetchXor(int bytes, Reg dst, int offset, Reg src) {
        return atomic(bytes, BPF_XOR | BPF_FETCH, dst, offset, src);
    }

    /** src = xchg((uN *)(dst + offset), src). */
    public Assembler atomicXchg(int bytes, Reg dst, int offset, Reg src) {
        return atomic(bytes, BPF_XCHG, dst, offset, src);
    }

    /** r0 = cmpxchg((uN *)(dst + offset), r0, src). */
    public Assembler atomicCmpXchg(int bytes, Reg dst, int offset, Reg src) {
        return atomic(bytes, BPF_CMPXCHG, dst, offset, src);
    }

    /** dst = load_acquire((uN *)(src + offset)), 1 to 8 bytes (since 6.15, JIT only). */
    public Assembler loadAcquire(int bytes, Reg dst, Reg src, int offset) {
        return emit(BPF_STX | size(bytes, 1, 2, 4, 8) | BPF_ATOMIC, dst, src, offset, BPF_LOAD_ACQ);
    }

    /** store_release((uN *)(dst + offset), src), 1 to 8 bytes (since 6.15, JIT only). */
    public Assembler storeRelease(int bytes, Reg dst, int offset, Reg src) {
        return emit(BPF_STX | size(bytes, 1, 2, 4, 8) | BPF_ATOMIC, dst, src, offset, BPF_STORE_REL);
    }

    // ---- jumps and calls ----------------------------------------------------------------------

    /** goto label. */
    public Assembler ja(String label) {
        emit(BPF_JMP | BPF_JA, Reg.R0, Reg.R0, 0, 0);
        return reference(label, Fixup.JUMP_OFFSET);
    }

    /** goto label with a 32-bit offset (gotol, cpu v4), for targets beyond 32767 slots. */
    public Assembler gotoLong(String label) {
        emit(BPF_JMP32 | BPF_JA, Reg.R0, Reg.R0, 0, 0);
        return reference(label, Fixup.JUMP_IMM);
    }

    /** if dst OP imm goto label, comparing 64 bits. */
    public Assembler jmp(int op, Reg dst, int imm, String label) {
        checkConditional(op);
        emit(BPF_JMP | op | BPF_K, dst, Reg.R0, 0, imm);
        return reference(label, Fixup.JUMP_OFFSET);
    }

    /** if dst OP src goto label, comparing 64 bits. */
    public Assembler jmp(int op, Reg dst, Reg src, String label) {
        checkConditional(op);
        emit(BPF_JMP | op | BPF_X, dst, src, 0, 0);
        return reference(label, Fixup.JUMP_OFFSET);
    }

    /** if w_dst OP imm goto label, comparing the low 32 bits. */
    public Assembler jmp32(int op, Reg dst, int imm, String label) {
        checkConditional(op);
        emit(BPF_JMP32 | op | BPF_K, dst, Reg.R0, 0, imm);
        return reference(label, Fixup.JUMP_OFFSET);
    }

    /** if w_dst OP w_src goto label, comparing the low 32 bits. */
    public Assembler jmp32(int op, Reg dst, Reg src, String label) {
        checkConditional(op);
        emit(BPF_JMP32 | op | BPF_X, dst, src, 0, 0);
        return reference(label, Fixup.JUMP_OFFSET);
    }

    public Assembler jeq(Reg dst, int imm, String label) { return jmp(BPF_JEQ, dst, imm, label); }
    public Assembler jeq(Reg dst, Reg src, String label) { return jmp(BPF_JEQ, dst, src, label); }
    public Assembler jne(Reg dst, int imm, String label) { return jmp(BPF_JNE, dst, imm, label); }
    public Assembler jne(Reg dst, Reg src, String label) { return jmp(BPF_JNE, dst, src, label); }
    public Assembler jgt(Reg dst, int imm, String label) { return jmp(BPF_JGT, dst, imm, label); }
    public Assembler jgt(Reg dst, Reg src, String label) { return jmp(BPF_JGT, dst, src, label); }
    public Assembler jge(Reg dst, int imm, String label) { return jmp(BPF_JGE, dst, imm, label); }
    public Assembler jge(Reg dst, Reg src, String label) { return jmp(BPF_JGE, dst, src, label); }
    public Assembler jlt(Reg dst, int imm, String label) { return jmp(BPF_JLT, dst, imm, label); }
    public Assembler jlt(Reg dst, Reg src, String label) { return jmp(BPF_JLT, dst, src, label); }
    public Assembler jle(Reg dst, int imm, String label) { return jmp(BPF_JLE, dst, imm, label); }
    public Assembler jle(Reg dst, Reg src, String label) { return jmp(BPF_JLE, dst, src, label); }
    public Assembler jsgt(Reg dst, int imm, String label) { return jmp(BPF_JSGT, dst, imm, label); }
    public Assembler jsgt(Reg dst, Reg src, String label) { return jmp(BPF_JSGT, dst, src, label); }
    public Assembler jsge(Reg dst, int imm, String label) { return jmp(BPF_JSGE, dst, imm, label); }
    public Assembler jsge(Reg dst, Reg src, String label) { return jmp(BPF_JSGE, dst, src, label); }
    public Assembler jslt(Reg dst, int imm, String label) { return jmp(BPF_JSLT, dst, imm, label); }
    public Assembler jslt(Reg dst, Reg src, String label) { return jmp(BPF_JSLT, dst, src, label); }
    public Assembler jsle(Reg dst, int imm, String label) { return jmp(BPF_JSLE, dst, imm, label); }
    public Assembler jsle(Reg dst, Reg src, String label) { return jmp(BPF_JSLE, dst, src, label); }
    public Assembler jset(Reg dst, int imm, String label) { return jmp(BPF_JSET, dst, imm, label); }
    public Assembler jset(Reg dst, Reg src, String label) { return jmp(BPF_JSET, dst, src, label); }

    public Assembler jeq32(Reg dst, int imm, String label) { return jmp32(BPF_JEQ, dst, imm, label); }
    public Assembler jeq32(Reg dst, Reg src, String label) { return jmp32(BPF_JEQ, dst, src, label); }
    public Assembler jne32(Reg dst, int imm, String label) { return jmp32(BPF_JNE, dst, imm, label); }
    public Assembler jne32(Reg dst, Reg src, String label) { return jmp32(BPF_JNE, dst, src, label); }
    public Assembler jgt32(Reg dst, int imm, String label) { return jmp32(BPF_JGT, dst, imm, label); }
    public Assembler jgt32(Reg dst, Reg src, String label) { return jmp32(BPF_JGT, dst, src, label); }
    public Assembler jge32(Reg dst, int imm, String label) { return jmp32(BPF_JGE, dst, imm, label); }
    public Assembler jge32(Reg dst, Reg src, String label) { return jmp32(BPF_JGE, dst, src, label); }
    public Assembler jlt32(Reg dst, int imm, String label) { return jmp32(BPF_JLT, dst, imm, label); }
    public Assembler jlt32(Reg dst, Reg src, String label) { return jmp32(BPF_JLT, dst, src, label); }
    public Assembler jle32(Reg dst, int imm, String label) { return jmp32(BPF_JLE, dst, imm, label); }
    public Assembler jle32(Reg dst, Reg src, String label) { return jmp32(BPF_JLE, dst, src, label); }
    public Assembler jsgt32(Reg dst, int imm, String label) { return jmp32(BPF_JSGT, dst, imm, label); }
    public Assembler jsgt32(Reg dst, Reg src, String label) { return jmp32(BPF_JSGT, dst, src, label); }
    public Assembler jsge32(Reg dst, int imm, String label) { return jmp32(BPF_JSGE, dst, imm, label); }
    public Assembler jsge32(Reg dst, Reg src, String label) { return jmp32(BPF_JSGE, dst, src, label); }
    public Assembler jslt32(Reg dst, int imm, String label) { return jmp32(BPF_JSLT, dst, imm, label); }
    public Assembler jslt32(Reg dst, Reg src, String label) { return jmp32(BPF_JSLT, dst, src, label); }
    public Assembler jsle32(Reg dst, int imm, String label) { return jmp32(BPF_JSLE, dst, imm, label); }
    public Assembler jsle32(Reg dst, Reg src, String label) { return jmp32(BPF_JSLE, dst, src, label); }
    public Assembler jset32(Reg dst, int imm, String label) { return jmp32(BPF_JSET, dst, imm, label); }
    public Assembler jset32(Reg dst, Reg src, String label) { return jmp32(BPF_JSET, dst, src, label); }

    /**
     * may_goto label: falls through until the kernel's per-program loop budget is spent, then
     * jumps; lets the verifier accept loops it cannot bound (since 6.9).
     */
    public Assembler mayGoto(String label) {
        emit(BPF_JMP | BPF_JCOND, Reg.R0, Reg.of(BPF_MAY_GOTO), 0, 0);
        return reference(label, Fixup.JUMP_OFFSET);
    }

    /** Calls a kernel helper by id (see {@link Helper}). */
    public Assembler call(int helperId) {
        return emit(BPF_JMP | BPF_CALL, Reg.R0, Reg.R0, 0, helperId);
    }

    /** Calls the bpf function that starts at {@code label} (bpf-to-bpf call). */
    public Assembler call(String label) {
        emit(BPF_JMP | BPF_CALL, Reg.R0, Reg.of(BPF_PSEUDO_CALL), 0, 0);
        return reference(label, Fixup.CALL_IMM);
    }

    /** Calls the kernel function (kfunc) with this BTF id. */
    public Assembler callKfunc(int btfId) {
        return emit(BPF_JMP | BPF_CALL, Reg.R0, Reg.of(BPF_PSEUDO_KFUNC_CALL), 0, btfId);
    }

    /** Returns R0 to the caller. */
    public Assembler exit() {
        return emit(BPF_JMP | BPF_EXIT, Reg.R0, Reg.R0, 0, 0);
    }

    // ---- assembly -----------------------------------------------------------------------------

    /** Resolves every label and returns the finished program. The assembler may be reused after. */
    public Instructions assemble() {
        Instruction[] out = slots.toArray(new Instruction[0]);
        Map<String, List<Integer>> missing = new TreeMap<>();
        for (Reference ref : references) {
            Integer target = labels.get(ref.label());
            if (target == null) {
                missing.computeIfAbsent(ref.label(), k -> new ArrayList<>()).add(ref.slot());
                continue;
            }
            if (target == out.length) {
                throw new AssemblyException("label '" + ref.label() + "' (used by instruction " + ref.slot()
                        + ") marks the end of the program, where no instruction follows to jump to");
            }
            int relative = target - (ref.slot() + 1);
            Instruction insn = out[ref.slot()];
            out[ref.slot()] = switch (ref.kind()) {
                case JUMP_OFFSET -> {
                    if (relative < Short.MIN_VALUE || relative > Short.MAX_VALUE) {
                        throw new AssemblyException("jump at instruction " + ref.slot() + " to label '" + ref.label()
                                + "' needs offset " + relative + ", outside the 16-bit range " + Short.MIN_VALUE + ".."
                                + Short.MAX_VALUE + "; reach it with gotoLong (32-bit offset), inverting a condition around it");
                    }
                    yield insn.withOffset(relative);
                }
                case JUMP_IMM, CALL_IMM, FUNC_IMM -> insn.withImm(relative);
            };
        }
        if (!missing.isEmpty()) {
            StringJoiner each = new StringJoiner(", ", missing.size() > 1 ? "unresolved labels: " : "unresolved label ",
                    missing.size() > 1 ? "; define each with label(name)" : "; define it with label(name)");
            missing.forEach((label, at) -> each.add("'" + label + "' (used by instruction" + (at.size() > 1 ? "s " : " ")
                    + at.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")"));
            throw new AssemblyException(each.toString());
        }
        Map<Integer, String> byPosition = new HashMap<>();
        labels.forEach((name, pos) -> byPosition.putIfAbsent(pos, name));
        return new Instructions(out, byPosition);
    }

    private void checkConditional(int op) {
        switch (op) {
            case BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET, BPF_JNE, BPF_JSGT, BPF_JSGE,
                 BPF_JLT, BPF_JLE, BPF_JSLT, BPF_JSLE -> { }
            default -> throw new AssemblyException("instruction " + slots.size()
                    + ": not a conditional jump operation: 0x" + Integer.toHexString(op));
        }
    }

    private void checkBits(int bits, int... allowed) {
        if (!contains(allowed, bits)) {
            throw new AssemblyException("instruction " + slots.size() + ": width " + bits
                    + " is not one of " + Arrays.toString(allowed));
        }
    }

    /** The BPF_B/H/W/DW field for an access of {@code bytes}, which must be one of {@code allowed}. */
    private int size(int bytes, int... allowed) {
        if (!contains(allowed, bytes)) {
            throw new AssemblyException("instruction " + slots.size() + ": this access takes "
                    + Arrays.toString(allowed) + " bytes, not " + bytes);
        }
        return sizeField(bytes);
    }

    private static boolean contains(int[] values, int value) {
        for (int v : values) {
            if (v == value) {
                return true;
            }
        }
        return false;
    }
}
