package io.vnettracer.bpf.prog;

import static io.vnettracer.bpf.asm.Reg.R0;
import static io.vnettracer.bpf.asm.Reg.R1;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.testing.Root;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class VerifierErrorTest {
    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void readingAnUninitialisedRegisterIsRefusedWithTheVerifiersWords() {
        // r0 is never written before exit: the verifier's classic "R0 !read_ok".
        var insns = new Assembler().exit().assemble();
        ProgramLoadException e = assertThrows(ProgramLoadException.class,
                () -> Program.load(ProgramSpec.of("bad_r0", ProgramType.SOCKET_FILTER, insns)));
        assertEquals("EACCES", e.errnoName());
        assertTrue(e.verifierLog().contains("R0 !read_ok"), e.verifierLog());
        assertTrue(e.getMessage().contains("R0 !read_ok"), "the message carries the log: " + e.getMessage());
        assertTrue(e.getMessage().contains("0: exit"), "the message carries the listing: " + e.getMessage());
        assertTrue(e.getMessage().contains("BPF_PROG_LOAD"), e.getMessage());
    }

    @Test
    void anOutOfBoundsContextReadNamesTheOffset() {
        var insns = new Assembler().ldx(4, R0, R1, 4096).exit().assemble();
        ProgramLoadException e = assertThrows(ProgramLoadException.class,
                () -> Program.load(ProgramSpec.of("bad_ctx", ProgramType.SCHED_CLS, insns)));
        assertTrue(e.verifierLog().contains("invalid bpf_context access"), e.verifierLog());
        assertTrue(e.listing().contains("r0 = *(u32 *)(r1 +4096)"), e.listing());
    }

    @Test
    void aGoodProgramLoadsAndRuns() {
        var insns = new Assembler().mov64(R0, 7).exit().assemble();
        try (Program p = Program.load(ProgramSpec.of("ret7", ProgramType.SCHED_CLS, insns))) {
            assertTrue(p.id() > 0);
            assertEquals(7, p.testRun(new byte[64], 1).returnValue());
        }
    }
}
