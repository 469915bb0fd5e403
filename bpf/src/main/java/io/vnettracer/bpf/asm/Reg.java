package io.vnettracer.bpf.asm;

/**
 * The eBPF registers. R0 holds return values, R1-R5 arguments (clobbered by calls), R6-R9 are
 * callee-saved, R10 is the read-only frame pointer.
 */
public enum Reg {
    R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10;

    private static final Reg[] VALUES = values();

    public int number() {
        return ordinal();
    }

    public static Reg of(int number) {
        return VALUES[number];
    }

    /** The frame pointer, by the name programs use for it. */
    public static final Reg FP = R10;
}
