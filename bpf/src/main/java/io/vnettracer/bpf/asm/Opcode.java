package io.vnettracer.bpf.asm;

/**
 * Opcode fields, named as in include/uapi/linux/bpf_common.h and include/uapi/linux/bpf.h.
 * An opcode is class | (size | mode) for loads and stores, class | op | source otherwise.
 */
public final class Opcode {
    private Opcode() {}

    // Instruction classes (low 3 bits).
    public static final int BPF_LD = 0x00;
    public static final int BPF_LDX = 0x01;
    public static final int BPF_ST = 0x02;
    public static final int BPF_STX = 0x03;
    public static final int BPF_ALU = 0x04;
    public static final int BPF_JMP = 0x05;
    public static final int BPF_JMP32 = 0x06;
    public static final int BPF_ALU64 = 0x07;

    // Sizes (bits 3-4) of loads and stores.
    public static final int BPF_W = 0x00;
    public static final int BPF_H = 0x08;
    public static final int BPF_B = 0x10;
    public static final int BPF_DW = 0x18;

    // Modes (bits 5-7) of loads and stores.
    public static final int BPF_IMM = 0x00;
    public static final int BPF_ABS = 0x20;
    public static final int BPF_IND = 0x40;
    public static final int BPF_MEM = 0x60;
    public static final int BPF_MEMSX = 0x80;
    public static final int BPF_ATOMIC = 0xc0;

    // Operand source (bit 3) of ALU and jump instructions.
    public static final int BPF_K = 0x00;
    public static final int BPF_X = 0x08;

    // ALU operations (bits 4-7).
    public static final int BPF_ADD = 0x00;
    public static final int BPF_SUB = 0x10;
    public static final int BPF_MUL = 0x20;
    public static final int BPF_DIV = 0x30;
    public static final int BPF_OR = 0x40;
    public static final int BPF_AND = 0x50;
    public static final int BPF_LSH = 0x60;
    public static final int BPF_RSH = 0x70;
    public static final int BPF_NEG = 0x80;
    public static final int BPF_MOD = 0x90;
    public static final int BPF_XOR = 0xa0;
    public static final int BPF_MOV = 0xb0;
    public static final int BPF_ARSH = 0xc0;
    public static final int BPF_END = 0xd0;

    // Byte-swap direction (the source bit of BPF_END).
    public static final int BPF_TO_LE = 0x00;
    public static final int BPF_TO_BE = 0x08;

    // Jump operations (bits 4-7).
    public static final int BPF_JA = 0x00;
    public static final int BPF_JEQ = 0x10;
    public static final int BPF_JGT = 0x20;
    public static final int BPF_JGE = 0x30;
    public static final int BPF_JSET = 0x40;
    public static final int BPF_JNE = 0x50;
    public static final int BPF_JSGT = 0x60;
    public static final int BPF_JSGE = 0x70;
    public static final int BPF_CALL = 0x80;
    public static final int BPF_EXIT = 0x90;
    public static final int BPF_JLT = 0xa0;
    public static final int BPF_JLE = 0xb0;
    public static final int BPF_JSLT = 0xc0;
    public static final int BPF_JSLE = 0xd0;
    /** Conditional pseudo-jump whose kind is in the src field (include/uapi/linux/bpf.h, since 6.9). */
    public static final int BPF_JCOND = 0xe0;

    /** The one kind of BPF_JCOND: may_goto, a jump taken once a per-program loop budget runs out. */
    public static final int BPF_MAY_GOTO = 0;

    // Atomic operations (the imm field of BPF_STX | BPF_ATOMIC).
    public static final int BPF_FETCH = 0x01;
    public static final int BPF_XCHG = 0xe0 | BPF_FETCH;
    public static final int BPF_CMPXCHG = 0xf0 | BPF_FETCH;
    /** Load with acquire semantics (include/uapi/linux/bpf.h, since 6.15; 1 to 8 bytes). */
    public static final int BPF_LOAD_ACQ = 0x100;
    /** Store with release semantics (include/uapi/linux/bpf.h, since 6.15; 1 to 8 bytes). */
    public static final int BPF_STORE_REL = 0x110;

    /**
     * Offset of BPF_ALU64 | BPF_MOV | BPF_X marking an arena address-space cast, with
     * imm = dst_as << 16 | src_as (enum bpf_addr_space_cast in include/uapi/linux/bpf.h, since 6.9).
     */
    public static final int BPF_ADDR_SPACE_CAST = 1;
    /** Offset of BPF_DIV and BPF_MOD marking the signed variant (instruction-set.rst, cpu v4). */
    public static final int SIGNED_DIVISION = 1;

    // Source-register values with a special meaning (include/uapi/linux/bpf.h).
    /** ld_imm64: imm is a map file descriptor. */
    public static final int BPF_PSEUDO_MAP_FD = 1;
    /** ld_imm64: imm is a map file descriptor, next imm an offset into its value. */
    public static final int BPF_PSEUDO_MAP_VALUE = 2;
    /** ld_imm64: imm is a BTF id of a kernel variable. */
    public static final int BPF_PSEUDO_BTF_ID = 3;
    /** ld_imm64: imm is the relative offset of a bpf function. */
    public static final int BPF_PSEUDO_FUNC = 4;
    /** ld_imm64: imm is an index into the fd_array passed with the program. */
    public static final int BPF_PSEUDO_MAP_IDX = 5;
    /** ld_imm64: imm is an index into fd_array, next imm an offset into the map's value. */
    public static final int BPF_PSEUDO_MAP_IDX_VALUE = 6;
    /** call: imm is the relative offset of a bpf-to-bpf callee. */
    public static final int BPF_PSEUDO_CALL = 1;
    /** call: imm is the BTF id of a kernel function. */
    public static final int BPF_PSEUDO_KFUNC_CALL = 2;

    public static int instructionClass(int opcode) {
        return opcode & 0x07;
    }

    public static int size(int opcode) {
        return opcode & 0x18;
    }

    public static int mode(int opcode) {
        return opcode & 0xe0;
    }

    public static int operation(int opcode) {
        return opcode & 0xf0;
    }

    public static int source(int opcode) {
        return opcode & 0x08;
    }

    /** Size in bytes of a BPF_W/H/B/DW field. */
    public static int sizeInBytes(int sizeField) {
        return switch (sizeField) {
            case BPF_W -> 4;
            case BPF_H -> 2;
            case BPF_B -> 1;
            case BPF_DW -> 8;
            default -> throw new IllegalArgumentException("not a size field: " + sizeField);
        };
    }

    /** The BPF_W/H/B/DW field for an access of this many bytes. */
    public static int sizeField(int bytes) {
        return switch (bytes) {
            case 1 -> BPF_B;
            case 2 -> BPF_H;
            case 4 -> BPF_W;
            case 8 -> BPF_DW;
            default -> throw new IllegalArgumentException("eBPF accesses are 1, 2, 4 or 8 bytes, not " + bytes);
        };
    }
}
