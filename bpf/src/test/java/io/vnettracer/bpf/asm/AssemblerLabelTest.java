package io.vnettracer.bpf.asm;

import static io.vnettracer.bpf.asm.Reg.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Label resolution. A jump's offset counts slots from the one after the jump
 * (instruction-set.rst: "PC += offset", PC already past the jump), so a jump at slot i to slot t
 * holds t - i - 1; a 64-bit immediate load counts as two slots. The expected bytes are written by
 * hand.
 */
class AssemblerLabelTest {

    private static String bytes(Assembler a) {
        return Hex.of(a.assemble().toBytes());
    }

    @Test
    void forwardJumpSkipsToTheLabel() {
        Assembler a = new Assembler()
                .jeq(R1, 0, "out")   // 0 -> 3: offset 2
                .mov64(R0, 1)        // 1
                .exit()              // 2
                .label("out")
                .mov64(R0, 0)        // 3
                .exit();             // 4
        assertEquals(Hex.normalise("""
                15 01 02 00 00 00 00 00
                b7 00 00 00 01 00 00 00
                95 00 00 00 00 00 00 00
                b7 00 00 00 00 00 00 00
                95 00 00 00 00 00 00 00"""), bytes(a));
    }

    @Test
    void backwardJumpHasANegativeOffset() {
        Assembler a = new Assembler()
                .label("loop")
                .add64(R1, -1)           // 0
                .jne(R1, 0, "loop")      // 1 -> 0: offset -2
                .exit();                 // 2
        assertEquals(Hex.normalise("""
                07 01 00 00 ff ff ff ff
                55 01 fe ff 00 00 00 00
                95 00 00 00 00 00 00 00"""), bytes(a));
    }

    @Test
    void jumpsCountBothSlotsOfA64BitImmediate() {
        Assembler forward = new Assembler()
                .ja("skip")                        // 0 -> 3: offset 2
                .ldImm64(R0, 0x1_0000_0000L)       // 1, 2
                .label("skip")
                .exit();                           // 3
        assertEquals(Hex.normalise("""
                05 00 02 00 00 00 00 00
                18 00 00 00 00 00 00 00  00 00 00 00 01 00 00 00
                95 00 00 00 00 00 00 00"""), bytes(forward));

        Assembler backward = new Assembler()
                .label("top")
                .ldImm64(R1, 7)                    // 0, 1
                .jeq(R1, 7, "top")                 // 2 -> 0: offset -3
                .exit();                           // 3
        assertEquals(Hex.normalise("""
                18 01 00 00 07 00 00 00  00 00 00 00 00 00 00 00
                15 01 fd ff 07 00 00 00
                95 00 00 00 00 00 00 00"""), bytes(backward));
    }

    @Test
    void bpfToBpfCallsCarryTheCalleeOffsetInImm() {
        Assembler a = new Assembler()
                .mov64(R1, 21)          // 0
                .call("double")         // 1 -> 3: imm 1
                .exit()                 // 2
                .label("double")
                .mov64(R0, R1)          // 3
                .call("add")            // 4 -> 7: imm 2
                .exit()                 // 5
                .label("again")
                .exit()                 // 6
                .label("add")
                .add64(R0, R1)          // 7
                .call("again")          // 8 -> 6: imm -3
                .exit();                // 9
        assertEquals(Hex.normalise("""
                b7 01 00 00 15 00 00 00
                85 10 00 00 01 00 00 00
                95 00 00 00 00 00 00 00
                bf 10 00 00 00 00 00 00
                85 10 00 00 02 00 00 00
                95 00 00 00 00 00 00 00
                95 00 00 00 00 00 00 00
                0f 10 00 00 00 00 00 00
                85 10 00 00 fd ff ff ff
                95 00 00 00 00 00 00 00"""), bytes(a));
    }

    @Test
    void ldFuncCountsFromTheSlotAfterItsFirstHalf() {
        // As the verifier resolves BPF_PSEUDO_FUNC: target = index of the first slot + imm + 1.
        Assembler a = new Assembler()
                .mov64(R1, 10)              // 0
                .ldFunc(R2, "callback")     // 1, 2 -> 7: imm 5
                .mov64(R3, 0)               // 3
                .mov64(R4, 0)               // 4
                .call(181)                  // 5: bpf_loop
                .exit()                     // 6
                .label("callback")
                .mov64(R0, 0)               // 7
                .exit();                    // 8
        assertEquals(Hex.normalise("""
                b7 01 00 00 0a 00 00 00
                18 42 00 00 05 00 00 00  00 00 00 00 00 00 00 00
                b7 03 00 00 00 00 00 00
                b7 04 00 00 00 00 00 00
                85 00 00 00 b5 00 00 00
                95 00 00 00 00 00 00 00
                b7 00 00 00 00 00 00 00
                95 00 00 00 00 00 00 00"""), bytes(a));
    }

    @Test
    void offsetsAtTheEdgesOfSixteenBitsAssemble() {
        Assembler forward = new Assembler().ja("far");
        fill(forward, 32767);
        forward.label("far").exit();
        assertEquals("05 00 ff 7f 00 00 00 00", Hex.of(forward.assemble().get(0)));

        Assembler backward = new Assembler().label("far");
        fill(backward, 32767);
        backward.ja("far").exit();   // at slot 32767, to 0: offset -32768
        assertEquals("05 00 00 80 00 00 00 00", Hex.of(backward.assemble().get(32767)));
    }

    @Test
    void aJumpBeyondSixteenBitsFailsNamingJumpLabelAndRemedy() {
        Assembler a = new Assembler().mov64(R0, 0).jeq(R1, 0, "far");
        fill(a, 32768);
        a.label("far").exit();
        AssemblyException e = assertThrows(AssemblyException.class, a::assemble);
        assertEquals("jump at instruction 1 to label 'far' needs offset 32768, outside the 16-bit range "
                + "-32768..32767; reach it with gotoLong (32-bit offset), inverting a condition around it",
                e.getMessage());
    }

    @Test
    void gotoLongReachesBeyondSixteenBits() {
        Assembler a = new Assembler().gotoLong("far");
        fill(a, 40000);
        a.label("far").exit();
        // 40000 = 0x9c40 in imm; off stays 0.
        assertEquals("06 00 00 00 40 9c 00 00", Hex.of(a.assemble().get(0)));
    }

    @Test
    void anUnresolvedLabelIsNamedWithTheInstructionsThatUseIt() {
        Assembler one = new Assembler().mov64(R0, 0).jeq(R1, 0, "nowhere").exit();
        AssemblyException e = assertThrows(AssemblyException.class, one::assemble);
        assertEquals("unresolved label 'nowhere' (used by instruction 1); define it with label(name)", e.getMessage());

        Assembler several = new Assembler()
                .ja("b")                 // 0
                .ldFunc(R1, "a")         // 1, 2
                .call("a")               // 3
                .exit();
        e = assertThrows(AssemblyException.class, several::assemble);
        assertEquals("unresolved labels: 'a' (used by instructions 1, 3), 'b' (used by instruction 0);"
                + " define each with label(name)", e.getMessage());
    }

    @Test
    void aLabelDefinedTwiceFailsAtTheSecondDefinition() {
        Assembler a = new Assembler().label("again").mov64(R0, 0);
        AssemblyException e = assertThrows(AssemblyException.class, () -> a.label("again"));
        assertEquals("label 'again' is defined twice: at instruction 0 and at instruction 1", e.getMessage());
    }

    @Test
    void aJumpToTheEndOfTheProgramIsRefused() {
        Assembler a = new Assembler().ja("end").exit().label("end");
        AssemblyException e = assertThrows(AssemblyException.class, a::assemble);
        assertTrue(e.getMessage().contains("'end'") && e.getMessage().contains("instruction 0"), e.getMessage());
    }

    @Test
    void anAssemblerCanBeAssembledAgainAndGrows() {
        Assembler a = new Assembler().jeq(R1, 0, "out").mov64(R0, 1).label("out").exit();
        Instructions first = a.assemble();
        assertEquals(first, a.assemble());
        a.exit();
        assertEquals(4, a.assemble().size());
        assertEquals(3, first.size());
    }

    @Test
    void labelsAreKeptForTheListing() {
        Instructions program = new Assembler().mov64(R0, 0).label("done").exit().assemble();
        assertEquals("done", program.labelAt(1));
        assertEquals(null, program.labelAt(0));
    }

    private static void fill(Assembler a, int slots) {
        for (int i = 0; i < slots; i++) {
            a.mov64(R0, 0);
        }
    }
}
