package io.vnettracer.probe.program;

import io.vnettracer.bpf.asm.Assembler;

/**
 * Code that decides, from the packet key on the stack, whether a probe goes on with a packet:
 * it falls through on a match and jumps to {@code noMatch} otherwise. Compiled filters implement it.
 */
@FunctionalInterface
public interface KeyFilter {
    /** Matches every packet: emits nothing. */
    KeyFilter ALL = (a, keyOffset, noMatch) -> { };

    void emit(Assembler a, int keyFrameOffset, String noMatch);
}
