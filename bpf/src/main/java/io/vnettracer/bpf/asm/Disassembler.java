package io.vnettracer.bpf.asm;

import static io.vnettracer.bpf.asm.Opcode.*;

/**
 * Prints programs in the notation of the kernel verifier's log ({@code r2 = *(u32 *)(r6 +76)}),
 * so a listing can be read side by side with a verifier error. Labels known to the assembler are
 * printed on their own lines and after each jump to them.
 */
public final class Disassembler {
    private Disassembler() {}

    /** The whole program, one slot a line, each prefixed with its index. */
    public static String print(Instructions program) {
        StringBuilder sb = new StringBuilder();
        int width = String.valueOf(Math.max(0, program.size() - 1)).length();
        for (int i = 0; i < program.size(); i++) {
            String label = program.labelAt(i);
            if (label != null) {
                sb.append(label).append(":\n");
            }
            sb.append(String.format("%" + (width + 2) + "d: ", i));
            Instruction insn = program.get(i);
            if (insn.isLoadImm64() && i + 1 < program.size()) {
                sb.append(loadImm64(insn, program.get(i + 1), program, i));
                i++;
            } else {
                sb.append(format(insn, program, i));
            }
            sb.append('\n');
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
            case BPF_STX -> mode(op) == BPF_ATOMIC ? atomic(insn) : stx(insn);
            case BPF_ST -> "*(" + type(op) + " *)(" + reg(insn.dst()) + off(insn.offset()) + ") = " + insn.imm();
            case BPF_LD -> ld(insn);
            default -> unknown(insn);
        };
    }

    private static String alu(Instruction insn) {
        int op = insn.opcode();
        boolean is64 = instructionClass(op) == BPF_ALU64;
        String dst = (is64 ? "r" : "w") + insn.dst();
        String src = source(op) == BPF_X ? (is64 ? "r" : "w") + insn.src() : imm(insn.imm());
        return switch (operation(op)) {
            case BPF_MOV -> {
                if (source(op) == BPF_X && insn.offset() != 0) {
                    yield dst + " = (s" + insn.offset() + ")" + src;
                }
                yield dst + " = " + src;
            }
            case BPF_NEG -> dst + " = -" + dst;
            case BPF_END -> {
                String kind = is64 ? "bswap" : (source(op) == BPF_TO_BE ? "be" : "le");
                yield dst + " = " + kind + insn.imm() + " " + dst;
            }
            case BPF_DIV, BPF_MOD -> {
                String symbol = operation(op) == BPF_DIV ? "/=" : "%=";
                yield dst + (insn.offset() == 1 ? " s" : " ") + symbol + " " + src;
            }
            default -> {
                String symbol = aluSymbol(operation(op));
                yield symbol == null ? unknown(insn) : dst + " " + symbol + " " + src;
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
            case BPF_EXIT -> "exit";
            case BPF_CALL -> switch (insn.src()) {
                case BPF_PSEUDO_CALL -> "call pc" + signed(insn.imm()) + target(program, index, insn.imm());
                case BPF_PSEUDO_KFUNC_CALL -> "call kfunc#" + insn.imm();
                default -> "call " + Helper.name(insn.imm()) + "#" + insn.imm();
            };
            case BPF_JA -> is32
                    ? "gotol " + signed(insn.imm()) + target(program, index, insn.imm())
                    : "goto " + signed(insn.offset()) + target(program, index, insn.offset());
            default -> {
                String symbol = jumpSymbol(operation(op));
                if (symbol == null) {
                    yield unknown(insn);
                }
                String prefix = is32 ? "w" : "r";
                String rhs = source(op) == BPF_X ? prefix + insn.src() : imm(insn.imm());
                yield "if " + prefix + insn.dst() + " " + symbol + " " + rhs + " goto "
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
        String t = mode(op) == BPF_MEMSX ? "s" + 8 * sizeInBytes(size(op)) : type(op);
        if (mode(op) != BPF_MEM && mode(op) != BPF_MEMSX) {
            return unknown(insn);
        }
        return reg(insn.dst()) + " = *(" + t + " *)(" + reg(insn.src()) + off(insn.offset()) + ")";
    }

    private static String stx(Instruction insn) {
        int op = insn.opcode();
        if (mode(op) != BPF_MEM) {
            return unknown(insn);
        }
        return "*(" + type(op) + " *)(" + reg(insn.dst()) + off(insn.offset()) + ") = " + reg(insn.src());
    }

    private static String atomic(Instruction insn) {
        int op = insn.opcode();
        boolean is64 = size(op) == BPF_DW;
        String r = is64 ? "r" : "w";
        String width = is64 ? "atomic64" : "atomic";
        String addr = "(" + type(op) + " *)(" + reg(insn.dst()) + off(insn.offset()) + ")";
        String src = r + insn.src();
        int a = insn.imm();
        if (a == BPF_XCHG) {
            return src + " = " + width + "_xchg(" + addr + ", " + src + ")";
        }
        if (a == BPF_CMPXCHG) {
            return r + "0 = " + width + "_cmpxchg(" + addr + ", " + r + "0, " + src + ")";
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
        String symbol = aluSymbol(a & ~BPF_FETCH);
        return "lock *" + addr + " " + symbol + " " + src;
    }

    private static String ld(Instruction insn) {
        int op = insn.opcode();
        return switch (mode(op)) {
            case BPF_ABS -> "r0 = *(" + type(op) + " *)skb[" + insn.imm() + "]";
            case BPF_IND -> "r0 = *(" + type(op) + " *)skb[" + reg(insn.src()) + " + " + insn.imm() + "]";
            case BPF_IMM -> insn.isLoadImm64() ? "(ld_imm64 without its second slot)" : unknown(insn);
            default -> unknown(insn);
        };
    }

    private static String loadImm64(Instruction first, Instruction second, Instructions program, int index) {
        String dst = reg(first.dst());
        return switch (first.src()) {
            case BPF_PSEUDO_MAP_FD -> dst + " = map[fd:" + first.imm() + "]";
            case BPF_PSEUDO_MAP_VALUE -> dst + " = map[fd:" + first.imm() + "]+" + second.imm();
            case BPF_PSEUDO_BTF_ID -> dst + " = btf_id[" + first.imm() + "]";
            case BPF_PSEUDO_FUNC -> dst + " = func pc" + signed(first.imm()) + target(program, index, first.imm());
            default -> {
                long value = (first.imm() & 0xffffffffL) | ((long) second.imm() << 32);
                yield dst + " = " + hex(value) + " ll";
            }
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

    private static String imm(int value) {
        return value >= 0 && value < 10 ? String.valueOf(value) : (value < 0 ? String.valueOf(value) : hex(value));
    }

    private static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }

    private static String unknown(Instruction insn) {
        return String.format(".insn 0x%016x (unknown opcode 0x%02x)", insn.encode(), insn.opcode());
    }
}
