package io.vnettracer.bpf.asm;

import static io.vnettracer.bpf.asm.Opcode.*;
import static io.vnettracer.bpf.asm.Reg.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Forms the verifier refuses ("uses reserved fields", "invalid size") are refused when they are
 * emitted, with a message naming the instruction, instead of surfacing later as a verifier error.
 */
class AssemblerValidationTest {

    /** An assembler with one instruction already emitted, so errors name instruction 1. */
    private static Assembler started() {
        return new Assembler().mov64(R0, 0);
    }

    private static void refused(String message, Executable emit) {
        AssemblyException e = assertThrows(AssemblyException.class, emit);
        assertEquals(message, e.getMessage());
    }

    @Test
    void accessSizesAreThoseTheInstructionTakes() {
        refused("instruction 1: this access takes [1, 2, 4, 8] bytes, not 3", () -> started().ldx(3, R1, R2, 0));
        refused("instruction 1: this access takes [1, 2, 4, 8] bytes, not 16", () -> started().stx(16, R1, 0, R2));
        refused("instruction 1: this access takes [1, 2, 4, 8] bytes, not 0", () -> started().st(0, R1, 0, 1));
        refused("instruction 1: this access takes [1, 2, 4] bytes, not 8", () -> started().ldxs(8, R1, R2, 0));
        refused("instruction 1: this access takes [1, 2, 4] bytes, not 8", () -> started().ldAbs(8, 0));
        refused("instruction 1: this access takes [1, 2, 4] bytes, not 8", () -> started().ldInd(8, R1, 0));
        refused("instruction 1: this access takes [4, 8] bytes, not 2", () -> started().atomicAdd(2, R1, 0, R2));
        refused("instruction 1: this access takes [4, 8] bytes, not 1", () -> started().atomicCmpXchg(1, R1, 0, R2));
        refused("instruction 1: this access takes [1, 2, 4, 8] bytes, not 5", () -> started().loadAcquire(5, R0, R1, 0));
    }

    @Test
    void atomicTakesOnlyReadModifyWriteOperations() {
        refused("instruction 1: not an atomic read-modify-write operation: 0x10",
                () -> started().atomic(8, BPF_SUB, R1, 0, R2));
        refused("instruction 1: use loadAcquire/storeRelease for atomic operation 0x100",
                () -> started().atomic(8, BPF_LOAD_ACQ, R1, 0, R2));
    }

    @Test
    void widthsAreThoseTheInstructionTakes() {
        refused("instruction 1: width 64 is not one of [8, 16, 32]", () -> started().movsx64(R1, R2, 64));
        refused("instruction 1: width 32 is not one of [8, 16]", () -> started().movsx32(R1, R2, 32));
        refused("instruction 1: width 8 is not one of [16, 32, 64]", () -> started().toBigEndian(R1, 8));
        refused("instruction 1: width 24 is not one of [16, 32, 64]", () -> started().byteSwap(R1, 24));
    }

    @Test
    void conditionalJumpsTakeOnlyComparisons() {
        refused("instruction 1: not a conditional jump operation: 0x0", () -> started().jmp(BPF_JA, R1, 0, "x"));
        refused("instruction 1: not a conditional jump operation: 0x80", () -> started().jmp32(BPF_CALL, R1, R2, "x"));
    }

    @Test
    void memoryOffsetsMustFitSixteenBits() {
        refused("instruction 1: offset 32768 does not fit the 16-bit offset field (-32768..32767)",
                () -> started().ldx(4, R1, R2, 32768));
        refused("instruction 1: offset -32769 does not fit the 16-bit offset field (-32768..32767)",
                () -> started().st(4, R10, -32769, 0));
    }

    @Test
    void addressSpacesAreSixteenBitNumbers() {
        refused("instruction 1: address spaces are 16-bit numbers, not 65536 and 0",
                () -> started().addrSpaceCast(R1, R1, 0x10000, 0));
    }

    @Test
    void labelsNeedANonBlankName() {
        refused("instruction 1: a label needs a non-blank name", () -> started().label(" "));
        refused("instruction 1: a label needs a non-blank name", () -> started().label(null));
    }

    @Test
    void aRefusedInstructionLeavesTheProgramAsItWas() {
        Assembler a = started();
        assertThrows(AssemblyException.class, () -> a.ldx(3, R1, R2, 0));
        assertEquals(1, a.position());
    }
}
