package io.vnettracer.probe.filter;

import static io.vnettracer.bpf.asm.Reg.*;
import static io.vnettracer.probe.testing.Packets.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Reg;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.prog.ProgramSpec;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.probe.packet.KeyExtractor;
import io.vnettracer.probe.packet.PacketContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The register contracts, checked in the kernel: the extractor keeps R6 to R9; the filter keeps R6
 * (the context it reads the packet through) to R9, and the key-only filter R2 to R9. Each register gets a marker before the code under test and is compared after; the
 * program returns 1 (match) or 0 (no match) when all kept their marker, 100 + the register's
 * number when one did not.
 */
class RegisterContractTest {
    private static final byte[] UDP4 = frame(ipv4("10.0.0.1", "10.0.0.2", 17, udp(1, 53, bytes("payload!"))));

    @BeforeEach
    void root() {
        Root.assume();
    }

    private static void mark(Assembler a, Reg... regs) {
        for (Reg r : regs) {
            a.mov64(r, 1000 + r.number());
        }
    }

    private static void verify(Assembler a, String verdictLabel, Reg... regs) {
        for (Reg r : regs) {
            a.mov64(R0, 100 + r.number()).jne(r, 1000 + r.number(), "exit");
        }
        a.ja(verdictLabel);
    }

    @Test
    void extractorKeepsR6ToR9AndFilterKeepsR6ToR9() {
        Reg[] keptByExtractor = {R7, R8, R9};
        Reg[] keptByFilter = {R7, R8, R9};
        java.util.Map<String, Integer> verdicts = java.util.Map.of(
                "udp and port 53", 1, "host 2001:db8::1", 0, "len < 10 or icmp", 0, "", 1,
                "udp[0:2] + udp[2:2] * 2 = 107 and len - 14 = 36", 1, "vlan or ether[100] = 0", 0);
        verdicts.forEach((expression, expected) -> {
            Assembler a = new Assembler();
            a.mov64(R6, R1);
            mark(a, keptByExtractor);
            new KeyExtractor(PacketContext.TC, -64, "key").emit(a);
            verify(a, "extracted", keptByExtractor);
            a.label("extracted");
            mark(a, R7, R8, R9);
            Filter.parse(expression).emit(a, new FilterCompiler(PacketContext.TC, "filter"), "match", "nomatch");
            a.label("match");
            verify(a, "yes", keptByFilter);
            a.label("nomatch");
            verify(a, "no", keptByFilter);
            a.label("yes").mov64(R0, 1).ja("exit")
                    .label("no").mov64(R0, 0)
                    .label("exit").exit();
            try (Program p = Program.load(ProgramSpec.of("vflt_regs", PacketContext.TC.programType(), a.assemble()))) {
                assertEquals(expected, p.testRun(UDP4, 1).returnValue(), () -> expression + "\n" + p.listing());
            }
        });
    }

    @Test
    void keyOnlyFilterKeepsR2ToR9() {
        Reg[] keptByFilter = {R2, R3, R4, R5, R6, R7, R8, R9};
        java.util.Map<String, Integer> verdicts = java.util.Map.of(
                "udp and port 53", 1, "host 2001:db8::1", 0, "len < 10 or icmp", 0, "", 1);
        verdicts.forEach((expression, expected) -> {
            Assembler a = new Assembler();
            a.mov64(R6, R1);
            new KeyExtractor(PacketContext.TC, -64, "key").emit(a);
            mark(a, R2, R3, R4, R5, R7, R8, R9);
            a.mov64(R6, 1006);
            Filter.parse(expression).emit(a, new FilterCompiler(-64, 0, "filter"), "match", "nomatch");
            a.label("match");
            verify(a, "yes", keptByFilter);
            a.label("nomatch");
            verify(a, "no", keptByFilter);
            a.label("yes").mov64(R0, 1).ja("exit")
                    .label("no").mov64(R0, 0)
                    .label("exit").exit();
            try (Program p = Program.load(ProgramSpec.of("vflt_regs", PacketContext.TC.programType(), a.assemble()))) {
                assertEquals(expected, p.testRun(UDP4, 1).returnValue(), () -> expression + "\n" + p.listing());
            }
        });
    }
}
