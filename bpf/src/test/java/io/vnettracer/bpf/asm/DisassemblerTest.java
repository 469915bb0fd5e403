package io.vnettracer.bpf.asm;

import static io.vnettracer.bpf.asm.Reg.*;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DisassemblerTest {

    /** An IPv4 counter: the shape of the programs the tracer generates. */
    private static Instructions ipv4Counter() {
        return new Assembler()
                .mov64(R6, R1)
                .ldx(4, R2, R6, 76)
                .jne(R2, 0x800, "out")
                .ldImm64(R0, 0x1122334455667788L)
                .exit()
                .label("out")
                .st(4, R10, -4, 0)
                .mov64(R2, R10)
                .add64(R2, -4)
                .ldMapFd(R1, 5)
                .call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, "done")
                .mov64(R1, R0)
                .mov64(R2, 1)
                .atomicAdd(8, R1, 0, R2)
                .label("done")
                .mov64(R0, 0)
                .exit()
                .assemble();
    }

    @Test
    void printsARepresentativeProgramInVerifierNotationWithLabels() {
        assertEquals("""
                   0: r6 = r1
                   1: r2 = *(u32 *)(r6 +76)
                   2: if r2 != 0x800 goto +3 <out>
                   3: r0 = 0x1122334455667788 ll
                   5: exit
                out:
                   6: *(u32 *)(r10 -4) = 0
                   7: r2 = r10
                   8: r2 += -4
                   9: r1 = map[fd:5]
                  11: call bpf_map_lookup_elem#1
                  12: if r0 == 0x0 goto +3 <done>
                  13: r1 = r0
                  14: r2 = 1
                  15: lock *(u64 *)(r1 +0) += r2
                done:
                  16: r0 = 0
                  17: exit
                """, Disassembler.print(ipv4Counter()));
        assertEquals(Disassembler.print(ipv4Counter()), ipv4Counter().toString());
    }

    @Test
    void callsJumpsAndFunctionAddressesNameTheirTargetLabel() {
        Instructions program = new Assembler()
                .label("main")
                .ldFunc(R2, "callback")
                .call("sub")
                .gotoLong("end")
                .mayGoto("main")
                .label("sub")
                .exit()
                .label("callback")
                .exit()
                .label("end")
                .exit()
                .assemble();
        assertEquals("""
                main:
                  0: r2 = func pc+5 <callback>
                  2: call pc+2 <sub>
                  3: gotol +3 <end>
                  4: may_goto -5 <main>
                sub:
                  5: exit
                callback:
                  6: exit
                end:
                  7: exit
                """, Disassembler.print(program));
    }

    @Test
    void decodedBytesPrintLikeTheAssembledProgramWithoutLabels() {
        Instructions program = ipv4Counter();
        Instructions decoded = Instructions.decode(program.toBytes());
        assertEquals(program, decoded);
        assertEquals(withoutLabels(Disassembler.print(program)), Disassembler.print(decoded));
    }

    @Test
    void everyInstructionFormSurvivesTheRoundTrip() {
        Assembler a = new Assembler().label("self");
        InstructionEncodingTest.allCases().forEach(c -> c.emit().apply(a));
        Instructions program = a.assemble();
        String decoded = Disassembler.print(Instructions.decode(program.toBytes()));
        assertEquals(withoutLabels(Disassembler.print(program)), decoded);
        assertFalse(decoded.contains(".insn"), decoded);
    }

    @Test
    void slotsTheKernelWouldRejectPrintAsRawBytes() {
        String listing = Disassembler.print(Instructions.decode(Hex.parse("""
                ff 00 00 00 00 00 00 00
                df 01 00 00 10 00 00 00
                96 00 00 00 00 00 00 00
                86 00 00 00 01 00 00 00
                9d 00 00 00 00 00 00 00
                f5 01 01 00 00 00 00 00
                99 21 00 00 00 00 00 00
                e1 21 00 00 00 00 00 00
                c2 01 00 00 00 00 00 00
                c3 21 00 00 02 00 00 00
                d3 21 00 00 00 00 00 00
                b7 01 04 00 05 00 00 00
                3f 21 02 00 00 00 00 00
                85 30 00 00 01 00 00 00
                18 71 00 00 01 00 00 00  00 00 00 00 00 00 00 00
                38 00 00 00 00 00 00 00
                """)));
        assertEquals("""
                   0: .insn ff 00 00 00 00 00 00 00
                   1: .insn df 01 00 00 10 00 00 00
                   2: .insn 96 00 00 00 00 00 00 00
                   3: .insn 86 00 00 00 01 00 00 00
                   4: .insn 9d 00 00 00 00 00 00 00
                   5: .insn f5 01 01 00 00 00 00 00
                   6: .insn 99 21 00 00 00 00 00 00
                   7: .insn e1 21 00 00 00 00 00 00
                   8: .insn c2 01 00 00 00 00 00 00
                   9: .insn c3 21 00 00 02 00 00 00
                  10: .insn d3 21 00 00 00 00 00 00
                  11: .insn b7 01 04 00 05 00 00 00
                  12: .insn 3f 21 02 00 00 00 00 00
                  13: .insn 85 30 00 00 01 00 00 00
                  14: .insn 18 71 00 00 01 00 00 00
                  15: .insn 00 00 00 00 00 00 00 00
                  16: .insn 38 00 00 00 00 00 00 00
                """, listing);
    }

    @Test
    void aBrokenSixtyFourBitLoadIsShownAndTheNextSlotStillPrinted() {
        assertEquals("""
                  0: r1 = (ld_imm64 without its second slot) 18 01 00 00 2a 00 00 00
                  1: exit
                """, Disassembler.print(Instructions.decode(Hex.parse("""
                18 01 00 00 2a 00 00 00
                95 00 00 00 00 00 00 00"""))));
        assertEquals("  0: r1 = (ld_imm64 without its second slot) 18 01 00 00 2a 00 00 00\n",
                Disassembler.print(Instructions.decode(Hex.parse("18 01 00 00 2a 00 00 00"))));
    }

    @Test
    void noSlotWhateverItsFieldsMakesThePrinterThrow() {
        int[] regs = {0x00, 0x21, 0x1a, 0xff};
        short[] offsets = {0, 1, 8, 16, 32, -1, Short.MIN_VALUE};
        int[] imms = {0, 1, 16, 0x100, 0x110, 0xe1, 0xf1, -1, Integer.MIN_VALUE};
        List<Instruction> slots = new ArrayList<>();
        for (int opcode = 0; opcode < 256; opcode++) {
            for (int r : regs) {
                for (short off : offsets) {
                    for (int imm : imms) {
                        slots.add(new Instruction(opcode, r & 0xf, r >>> 4, off, imm));
                    }
                }
            }
        }
        Instructions all = Instructions.of(slots);
        String listing = assertDoesNotThrow(() -> Disassembler.print(all));
        assertTrue(listing.lines().count() > 0);
        for (Instruction slot : slots) {
            assertFalse(assertDoesNotThrow(() -> Disassembler.format(slot)).isBlank());
        }
    }

    @Test
    void formatOfOneInstructionShowsRelativeTargetsOnly() {
        Instruction jump = new Assembler().jeq(R1, 1, "next").label("next").exit().assemble().get(0);
        assertEquals("if r1 == 0x1 goto +0", Disassembler.format(jump));
    }

    @Test
    void decodeRefusesATruncatedProgram() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Instructions.decode(new byte[12]));
        assertTrue(e.getMessage().contains("12"), e.getMessage());
    }

    /** The listing as it reads without the assembler's labels: no label lines, no {@code <label>} suffixes. */
    private static String withoutLabels(String listing) {
        StringBuilder sb = new StringBuilder();
        for (String line : listing.split("\n")) {
            if (!line.endsWith(":")) {
                sb.append(line.replaceAll(" <[^<>]+>$", "")).append('\n');
            }
        }
        return sb.toString();
    }
}
