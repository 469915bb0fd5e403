package io.vnettracer.bpf.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

/** struct bpf_insn: u8 code, u8 dst_reg:4 src_reg:4, s16 off, s32 imm, little-endian. */
class InstructionTest {

    @Test
    void everyFieldLandsInItsBytes() {
        Instruction slot = new Instruction(0x6b, 0xa, 0x3, (short) -2, 0x12345678);
        assertEquals("6b 3a fe ff 78 56 34 12", Hex.of(slot));
        assertEquals(slot, Instruction.decode(slot.encode()));
    }

    @Test
    void decodingKeepsSignedFields() {
        Instruction slot = Instructions.decode(Hex.parse("07 f5 00 80 00 00 00 80")).get(0);
        assertEquals(0x07, slot.opcode());
        assertEquals(5, slot.dst());
        assertEquals(15, slot.src());
        assertEquals(Short.MIN_VALUE, slot.offset());
        assertEquals(Integer.MIN_VALUE, slot.imm());
    }

    @Test
    void fieldsOutOfRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Instruction(0x100, 0, 0, (short) 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Instruction(-1, 0, 0, (short) 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Instruction(0xb7, 16, 0, (short) 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Instruction(0xb7, 0, -1, (short) 0, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Instruction(0x05, 0, 0, (short) 0, 0).withOffset(40000));
        assertTrue(e.getMessage().contains("40000"), e.getMessage());
    }

    @Test
    void theKernelCopyHoldsTheSameBytesAsTheArray() {
        Instructions program = Instructions.of(List.of(
                new Instruction(0xb7, 0, 0, (short) 0, 1),
                new Instruction(0x95, 0, 0, (short) 0, 0)));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = program.toSegment(arena);
            assertEquals(16, segment.byteSize());
            assertEquals(0, segment.address() % 8, "bpf_insn array must be 8-byte aligned");
            assertEquals(Hex.normalise("b7 00 00 00 01 00 00 00  95 00 00 00 00 00 00 00"),
                    Hex.of(segment.toArray(ValueLayout.JAVA_BYTE)));
        }
    }
}
