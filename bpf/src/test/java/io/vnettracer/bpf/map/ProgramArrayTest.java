package io.vnettracer.bpf.map;

import static io.vnettracer.bpf.asm.Reg.R0;
import static io.vnettracer.bpf.asm.Reg.R2;
import static io.vnettracer.bpf.asm.Reg.R3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Helper;
import io.vnettracer.bpf.prog.AttachType;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.prog.ProgramSpec;
import io.vnettracer.bpf.prog.ProgramType;
import io.vnettracer.bpf.sys.BpfException;
import io.vnettracer.bpf.testing.Root;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Tail calls through a program array: what a slot update does, and what the kernel refuses. */
class ProgramArrayTest {
    private static final int NOT_CALLED = 7;

    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void aSlotSetRunsItsProgramAndAClearedSlotFallsThrough() {
        try (ProgramArray array = ProgramArray.create("t_progs", 4);
             Program caller = caller(array, AttachType.TCX_EGRESS);
             Program callee = returning("t_callee", 42, AttachType.TCX_EGRESS)) {
            byte[] packet = new byte[64];
            assertEquals(NOT_CALLED, caller.testRun(packet, 1).returnValue(), "an empty slot: the call fails, the caller goes on");
            array.set(1, callee);
            assertEquals(callee.id(), array.programId(1));
            assertEquals(42, caller.testRun(packet, 1).returnValue(), "the callee's verdict is the caller's");
            assertTrue(array.clear(1));
            assertFalse(array.clear(1), "already empty");
            assertEquals(0, array.programId(1));
            assertEquals(NOT_CALLED, caller.testRun(packet, 1).returnValue());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> array.set(4, callee));
            assertTrue(e.getMessage().contains("slots 0..3"), e.getMessage());
        }
    }

    /** Why a hook's dispatcher is loaded with its probes' attach type: recent kernels (6.18 here) check it. */
    @Test
    void programsOfAnotherAttachTypeAreRefused() {
        try (ProgramArray array = ProgramArray.create("t_progs", 4);
             Program caller = caller(array, AttachType.TCX_EGRESS);
             Program ingress = returning("t_ingress", 1, AttachType.TCX_INGRESS);
             Program egress = returning("t_egress", 1, AttachType.TCX_EGRESS)) {
            BpfException e = assertThrows(BpfException.class, () -> array.set(0, ingress));
            assertEquals("EINVAL", e.errnoName());
            array.set(0, egress);
        }
    }

    /** Tail-calls slot 1 and returns {@link #NOT_CALLED} if that fails. */
    private static Program caller(ProgramArray array, AttachType attachType) {
        return Program.load(ProgramSpec.of("t_caller", ProgramType.SCHED_CLS, new Assembler()
                .ldMapFd(R2, array.map().fd().get())
                .mov64(R3, 1)
                .call(Helper.TAIL_CALL)
                .mov64(R0, NOT_CALLED)
                .exit()
                .assemble()).withAttach(attachType));
    }

    private static Program returning(String name, int value, AttachType attachType) {
        return Program.load(ProgramSpec.of(name, ProgramType.SCHED_CLS, new Assembler().mov64(R0, value).exit().assemble())
                .withAttach(attachType));
    }
}
