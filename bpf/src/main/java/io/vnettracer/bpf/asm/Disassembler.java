package io.vnettracer.bpf.asm;

import static io.vnettracer.bpf.asm.Opcode.*;

/**
 * Prints programs in the notation of the kernel verifier's log (print_bpf_insn in
 * kernel/bpf/disasm.c: {@code r2 = *(u32 *)(r6 +76)}, ALU immediates in decimal, jump immediates
 * as {@code 0x%x}), so a listing can be read side by side with a verifier error. Where the kernel
 * prints {@code pc+3} we print {@code +3} followed by the target's label, labels known to the
 * assembler get a line of their own, and 64-bit immediates end in {@code ll} as in llvm-objdump.
 *
 * <p>Never throws on a slot it does not understand: such a slot prints as {@code .insn} followed
 * by its 8 bytes in memory order.
 */
public final class Disassembler {
    private Disassembler() {}

    /** The whole program, one slot a line, each prefixed with its index. */
    public static String print(Instructions program) {
        StringBuilder sb = new StringBuilder();
        int width = String.valueOf(Math.max(0, program.size() - 1)).length();
        String indexFormat = "%" + (width + 2) + "d: ";
        for (int i = 0; i < program.size(); i++) {
            String label = program.labelAt(i);
            if (label != null) {
                sb.append(label).append(":\n");
            }
            sb.append(String.format(indexFormat, i));
            Instruction insn = program.get(i);
            if (insn.isLoadImm64() && i + 1 < program.size() && isSecondSlot(program.get(i + 1))) {
                String wide = loadImm64(insn, program.get(i + 1), program, i);
                if (wide != null) {
                    sb.append(wide).append('\n');
                    i++;
                    continue;
                }
                // An unknown kind of 64-bit load: show both slots raw rather than guess at a meaning.
                sb.append(unknown(insn)).append('\n');
                continue;
            }
            sb.append(format(insn, program, i)).append('\n');
        }
        return sb.toString();
    }

    /** One instruction, without context (jump targets are shown as relative offsets only). */
    public static String format(Instruction insn) {
        return format(insn, null, -1);
    }

    private static String format(Instruction insn, Instructions program, int index) {
        int op = insn.opcode();
        return switch (instructionClass(op)) {
            case BPF_ALU, BPF_ALU64 -> alu(insn);
            case BPF_JMP, BPF_JMP32 -> jump(insn, program, index);
            case BPF_LDX -> ldx(insn);
            case BPF_STX -> stx(insn);
            case BPF_ST -> st(insn);
            case BPF_LD -> ld(insn);
            default -> unknown(insn);
        };
    }

    private static String alu(Instruction insn) {
        int op = insn.opcode();
        boolean is64 = instructionClass(op) == BPF_ALU64;
        boolean fromRegister = source(op) == BPF_X;
        String w = is64 ? "r" : "w";
        String dst = w + insn.dst();
        String src = fromRegister ? w + insn.src() : String.valueOf(insn.imm());
        int off = insn.offset();
        return switch (operation(op)) {
            case BPF_END -> {
                // bswap is BPF_ALU64 | BPF_TO_LE only; the kernel prints byte swaps with r in both classes.
                boolean width = insn.imm() == 16 || insn.imm() == 32 || insn.imm() == 64;
                if (!width || off != 0 || (is64 && fromRegister)) {
                    yield unknown(insn);
                }
                String kind = is64 ? "bswap" : (source(op) == BPF_TO_BE ? "be" : "le");
                yield "r" + insn.dst() + " = " + kind + insn.imm() + " r" + insn.dst();
            }
            case BPF_NEG -> fromRegister || off != 0 ? unknown(insn) : dst + " = -" + dst;
            case BPF_MOV -> {
                if (off == 0) {
                    yield dst + " = " + src;
                }
                if (fromRegister && (off == 8 || off == 16 || (is64 && off == 32))) {
                    yield dst + " = (s" + off + ")" + src;
                }
                if (fromRegister && is64 && off == BPF_ADDR_SPACE_CAST) {
                    yield dst + " = addr_space_cast(" + src + ", " + (insn.imm() >>> 16) + ", "
                            + (insn.imm() & 0xffff) + ")";
                }
                yield unknown(insn);
            }
            case BPF_DIV, BPF_MOD -> {
                if (off != 0 && off != SIGNED_DIVISION) {
                    yield unknown(insn);
                }
                String symbol = operation(op) == BPF_DIV ? "/=" : "%=";
                yield dst + (off == SIGNED_DIVISION ? " s" : " ") + symbol + " " + src;
            }
            default -> {
                String symbol = aluSymbol(operation(op));
                yield symbol == null || off != 0 ? unknown(insn) : dst + " " + symbol + " " + src;
            }
        };
    }

    private static String aluSymbol(int operation) {
        return switch (operation) {
            case BPF_ADD -> "+=";
            case BPF_SUB -> "-=";
            case BPF_MUL -> "*=";
            case BPF_OR -> "|=";
            case BPF_AND -> "&=";
            case BPF_LSH -> "<<=";
            case BPF_RSH -> ">>=";
            case BPF_XOR -> "^=";
            case BPF_ARSH -> "s>>=";
            default -> null;
        };
    }

    private static String jump(Instruction insn, Instructions program, int index) {
        int op = insn.opcode();
        boolean is32 = instructionClass(op) == BPF_JMP32;
        return switch (operation(op)) {
            // The kernel defines call and exit only in BPF_JMP with BPF_K.
            case BPF_EXIT -> is32 || source(op) == BPF_X ? unknown(insn) : "exit";
            case BPF_CALL -> is32 || source(op) == BPF_X ? unknown(insn) : switch (insn.src()) {
                case 0 -> {
                    String name = Helper.knownName(insn.imm());
                    yield "call " + (name == null ? "unknown" : name) + "#" + insn.imm();
                }
                case BPF_PSEUDO_CALL -> "call pc" + signed(insn.imm()) + target(program, index, insn.imm());
                case BPF_PSEUDO_KFUNC_CALL -> "call kfunc#" + insn.imm();
                default -> unknown(insn);
            };
            case BPF_JA -> {
                if (source(op) == BPF_X) {
                    yield unknown(insn);
                }
                yield is32
                        ? "gotol " + signed(insn.imm()) + target(program, index, insn.imm())
                        : "goto " + signed(insn.offset()) + target(program, index, insn.offset());
            }
            case BPF_JCOND -> is32 || insn.src() != BPF_MAY_GOTO
                    ? unknown(insn)
                    : "may_goto " + signed(insn.offset()) + target(program, index, insn.offset());
            default -> {
                String symbol = jumpSymbol(operation(op));
                if (symbol == null) {
                    yield unknown(insn);
                }
                String w = is32 ? "w" : "r";
                String rhs = source(op) == BPF_X ? w + insn.src() : "0x" + Integer.toHexString(insn.imm());
                yield "if " + w + insn.dst() + " " + symbol + " " + rhs + " goto "
                        + signed(insn.offset()) + target(program, index, insn.offset());
            }
        };
    }

    private static String jumpSymbol(int operation) {
        return switch (operation) {
            case BPF_JEQ -> "==";
            case BPF_JNE -> "!=";
            case BPF_JGT -> ">";
            case BPF_JGE -> ">=";
            case BPF_JLT -> "<";
            case BPF_JLE -> "<=";
            case BPF_JSGT -> "s>";
            case BPF_JSGE -> "s>=";
            case BPF_JSLT -> "s<";
            case BPF_JSLE -> "s<=";
            case BPF_JSET -> "&";
            default -> null;
        };
    }

    private static String ldx(Instruction insn) {
        int op = insn.opcode();
        String t;
        if (mode(op) == BPF_MEM) {
            t = type(op);
        } else if (mode(op) == BPF_MEMSX && size(op) != BPF_DW) {
            t = "s" + 8 * sizeInBytes(size(op));
        } else {
            return unknown(insn);
        }
        return reg(insn.dst()) + " = *(" + t + " *)(" + reg(insn.src()) + off(insn.offset()) + ")";
    }

    private static String st(Instruction insn) {
        int op = insn.opcode();
        if (mode(op) != BPF_MEM) {
            return unknown(insn);
        }
        return "*(" + type(op) + " *)(" + reg(insn.dst()) + off(insn.offset()) + ") = " + insn.imm();
    }

    private static String stx(Instruction insn) {
        int op = insn.opcode();
        return switch (mode(op)) {
            case BPF_MEM -> "*(" + type(op) + " *)(" + reg(insn.dst()) + off(insn.offset()) + ") = " + reg(insn.src());
            case BPF_ATOMIC -> atomic(insn);
            default -> unknown(insn);
        };
    }

    private static String atomic(Instruction insn) {
        int op = insn.opcode();
        String addr = "(" + type(op) + " *)(" + reg(insn.dst()) + off(insn.offset()) + ")";
        String src = reg(insn.src());
        int a = insn.imm();
        if (a == BPF_LOAD_ACQ) {
            return reg(insn.dst()) + " = load_acquire((" + type(op) + " *)(" + src + off(insn.offset()) + "))";
        }
        if (a == BPF_STORE_REL) {
            return "store_release(" + addr + ", " + src + ")";
        }
        if (size(op) != BPF_W && size(op) != BPF_DW) {
            return unknown(insn);
        }
        String width = size(op) == BPF_DW ? "atomic64" : "atomic";
        if (a == BPF_XCHG) {
            return src + " = " + width + "_xchg(" + addr + ", " + src + ")";
        }
        if (a == BPF_CMPXCHG) {
            return "r0 = " + width + "_cmpxchg(" + addr + ", r0, " + src + ")";
        }
        String name = switch (a & ~BPF_FETCH) {
            case BPF_ADD -> "add";
            case BPF_OR -> "or";
            case BPF_AND -> "and";
            case BPF_XOR -> "xor";
            default -> null;
        };
        if (name == null) {
            return unknown(insn);
        }
        if ((a & BPF_FETCH) != 0) {
            return src + " = " + width + "_fetch_" + name + "(" + addr + ", " + src + ")";
        }
        return "lock *" + addr + " " + aluSymbol(a) + " " + src;
    }

    private static String ld(Instruction insn) {
        int op = insn.opcode();
        return switch (mode(op)) {
            case BPF_ABS -> size(op) == BPF_DW ? unknown(insn) : "r0 = *(" + type(op) + " *)skb[" + insn.imm() + "]";
            case BPF_IND -> size(op) == BPF_DW
                    ? unknown(insn)
                    : "r0 = *(" + type(op) + " *)skb[" + reg(insn.src()) + " + " + insn.imm() + "]";
            case BPF_IMM -> insn.isLoadImm64()
                    ? reg(insn.dst()) + " = (ld_imm64 without its second slot) " + bytes(insn)
                    : unknown(insn);
            default -> unknown(insn);
        };
    }

    /** The second slot of a 64-bit immediate load carries only imm; the kernel rejects any other field. */
    private static boolean isSecondSlot(Instruction insn) {
        return insn.opcode() == 0 && insn.dst() == 0 && insn.src() == 0 && insn.offset() == 0;
    }

    /** Both slots of a 64-bit immediate load as one line, or null for a kind this printer does not know. */
    private static String loadImm64(Instruction first, Instruction second, Instructions program, int index) {
        String dst = reg(first.dst());
        return switch (first.src()) {
            case 0 -> dst + " = 0x" + Long.toHexString((first.imm() & 0xffffffffL) | ((long) second.imm() << 32)) + " ll";
            case BPF_PSEUDO_MAP_FD -> dst + " = map[fd:" + first.imm() + "]";
            case BPF_PSEUDO_MAP_VALUE -> dst + " = map[fd:" + first.imm() + "]+" + second.imm();
            case BPF_PSEUDO_BTF_ID -> dst + " = btf_id[" + first.imm() + "]";
            case BPF_PSEUDO_FUNC -> dst + " = func pc" + signed(first.imm()) + target(program, index, first.imm());
            case BPF_PSEUDO_MAP_IDX -> dst + " = map[idx:" + first.imm() + "]";
            case BPF_PSEUDO_MAP_IDX_VALUE -> dst + " = map[idx:" + first.imm() + "]+" + second.imm();
            default -> null;
        };
    }

    private static String target(Instructions program, int index, int relative) {
        if (program == null) {
            return "";
        }
        String label = program.labelAt(index + 1 + relative);
        return label == null ? "" : " <" + label + ">";
    }

    private static String type(int opcode) {
        return "u" + 8 * sizeInBytes(size(opcode));
    }

    private static String reg(int n) {
        return "r" + n;
    }

    private static String off(int offset) {
        return offset < 0 ? " " + offset : " +" + offset;
    }

    private static String signed(int value) {
        return value < 0 ? String.valueOf(value) : "+" + value;
    }

    private static String unknown(Instruction insn) {
        return ".insn " + bytes(insn);
    }

    /** The slot's 8 bytes in memory order, as a hex dump of the program would show them. */
    private static String bytes(Instruction insn) {
        long slot = insn.encode();
        StringBuilder sb = new StringBuilder(23);
        for (int i = 0; i < Instruction.SIZE; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(String.format("%02x", (slot >>> (8 * i)) & 0xff));
        }
        return sb.toString();
    }
}
