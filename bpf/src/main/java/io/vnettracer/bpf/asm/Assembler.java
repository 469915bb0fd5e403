package io.vnettracer.bpf.asm;

import static io.vnettracer.bpf.asm.Opcode.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Builds a program instruction by instruction. Jumps and calls name their targets by label;
 * {@link #assemble()} resolves every label and fails on one that is missing or defined twice.
 *
 * <p>Methods are named after the kernel's mnemonics: {@code mov64(R6, R1)} is {@code r6 = r1},
 * {@code ldx(4, R2, R6, 76)} is {@code r2 = *(u32 *)(r6 + 76)}.
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
            throw new AssemblyException("offset " + offset + " does not fit in 16 bits");
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

    /** Signed 64-bit division dst = dst s/ src (cpu v4: offset 1 marks signed). */
    public Assembler sdiv64(Reg dst, Reg src) {
        return emit(BPF_ALU64 | BPF_DIV | BPF_X, dst, src, 1, 0);
    }

    /** Signed 64-bit modulo dst = dst s% src (cpu v4). */
    public Assembler smod64(Reg dst, Reg src) {
        return emit(BPF_ALU64 | BPF_MOD | BPF_X, dst, src, 1, 0);
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
        return emit(BPF_LDX | sizeField(bytes) | BPF_MEM, dst, src, offset, 0);
    }

    /** dst = *(sN *)(src + offset): load with sign extension (cpu v4). */
    public Assembler ldxs(int bytes, Reg dst, Reg src, int offset) {
        if (bytes == 8) {
            throw new AssemblyException("a sign-extending load takes 1, 2 or 4 bytes");
        }
        return emit(BPF_LDX | sizeField(bytes) | BPF_MEMSX, dst, src, offset, 0);
    }

    /** *(uN *)(dst + offset) = src. */
    public Assembler stx(int bytes, Reg dst, int offset, Reg src) {
        return emit(BPF_STX | sizeField(bytes) | BPF_MEM, dst, src, offset, 0);
    }

    /** *(uN *)(dst + offset) = imm. */
    public Assembler st(int bytes, Reg dst, int offset, int imm) {
        return emit(BPF_ST | sizeField(bytes) | BPF_MEM, dst, Reg.R0, offset, imm);
    }

    /** Legacy packet load R0 = ntoh(*(uN *)(skb->data + imm)), socket filters and tc only. */
    public Assembler ldAbs(int bytes, int imm) {
        return emit(BPF_LD | sizeField(bytes) | BPF_ABS, Reg.R0, Reg.R0, 0, imm);
    }

    /** Legacy packet load R0 = ntoh(*(uN *)(skb->data + src + imm)). */
    public Assembler ldInd(int bytes, Reg src, int imm) {
        return emit(BPF_LD | sizeField(bytes) | BPF_IND, Reg.R0, src, 0, imm);
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
        if (bytes != 4 && bytes != 8) {
            throw new AssemblyException("atomic operations take 4 or 8 bytes, not " + bytes);
        }
        return emit(BPF_STX | sizeField(bytes) | BPF_ATOMIC, dst, src, offset, atomicOp);
    }

    /** lock *(uN *)(dst + offset) += src. */
    public Assembler atomicAdd(int bytes, Reg dst, int offset, Reg src) {
        return atomic(bytes, BPF_ADD, dst, offset, src);
    }

    /** src = atomic_fetch_add((uN *)(dst + offset), src). */
    public Assembler atomicFetchAdd(int bytes, Reg dst, int offset, Reg src) {
        return atomic(bytes, BPF_ADD | BPF_FETCH, dst, offset, src);
    }

    /** src = xchg((uN *)(dst + offset), src). */
    public Assembler atomicXchg(int bytes, Reg dst, int offset, Reg src) {
        return atomic(bytes, BPF_XCHG, dst, offset, src);
    }

    /** r0 = cmpxchg((uN *)(dst + offset), r0, src). */
    public Assembler atomicCmpXchg(int bytes, Reg dst, int offset, Reg src) {
        return atomic(bytes, BPF_CMPXCHG, dst, offset, src);
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
    public Assembler jsge(Reg dst, int imm, String label) { return jmp(BPF_JSGE, dst, imm, label); }
    public Assembler jslt(Reg dst, int imm, String label) { return jmp(BPF_JSLT, dst, imm, label); }
    public Assembler jsle(Reg dst, int imm, String label) { return jmp(BPF_JSLE, dst, imm, label); }
    public Assembler jset(Reg dst, int imm, String label) { return jmp(BPF_JSET, dst, imm, label); }

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
            int relative = target - (ref.slot() + 1);
            Instruction insn = out[ref.slot()];
            out[ref.slot()] = switch (ref.kind()) {
                case JUMP_OFFSET -> {
                    if (relative < Short.MIN_VALUE || relative > Short.MAX_VALUE) {
                        throw new AssemblyException("jump from instruction " + ref.slot() + " to label '"
                                + ref.label() + "' spans " + relative + " slots, more than 16 bits hold; use gotoLong");
                    }
                    yield insn.withOffset(relative);
                }
                case JUMP_IMM, CALL_IMM, FUNC_IMM -> insn.withImm(relative);
            };
        }
        if (!missing.isEmpty()) {
            StringBuilder sb = new StringBuilder("unresolved label");
            sb.append(missing.size() > 1 ? "s: " : ": ");
            missing.forEach((label, at) -> sb.append('\'').append(label).append("' (used at instruction")
                    .append(at.size() > 1 ? "s " : " ").append(at).append(") "));
            throw new AssemblyException(sb.toString().strip());
        }
        Map<Integer, String> byPosition = new HashMap<>();
        labels.forEach((name, pos) -> byPosition.putIfAbsent(pos, name));
        return new Instructions(out, byPosition);
    }

    private static void checkConditional(int op) {
        switch (op) {
            case BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET, BPF_JNE, BPF_JSGT, BPF_JSGE,
                 BPF_JLT, BPF_JLE, BPF_JSLT, BPF_JSLE -> { }
            default -> throw new AssemblyException("not a conditional jump operation: 0x" + Integer.toHexString(op));
        }
    }

    private static void checkBits(int bits, int... allowed) {
        for (int a : allowed) {
            if (a == bits) {
                return;
            }
        }
        throw new AssemblyException("width " + bits + " is not one of " + java.util.Arrays.toString(allowed));
    }
}
