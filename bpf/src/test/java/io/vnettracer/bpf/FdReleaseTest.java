package io.vnettracer.bpf;

import static io.vnettracer.bpf.asm.Reg.R0;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.link.Link;
import io.vnettracer.bpf.link.TcxDirection;
import io.vnettracer.bpf.map.BpfMap;
import io.vnettracer.bpf.map.MapSpec;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.prog.ProgramSpec;
import io.vnettracer.bpf.prog.ProgramType;
import io.vnettracer.bpf.prog.TcxVerdict;
import io.vnettracer.bpf.ringbuf.RingBufferReader;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.VethPair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Closing every object gives back its file descriptors (and mappings): nothing leaks per use. */
class FdReleaseTest {
    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void closingEveryObjectReleasesItsDescriptor() throws Exception {
        try (VethPair net = new VethPair("vktf", 3)) {
            useEverything(net); // first use loads classes and may open descriptors the JVM keeps
            long before = openDescriptors();
            for (int i = 0; i < 20; i++) {
                useEverything(net);
            }
            assertEquals(before, openDescriptors());
        }
    }

    private static void useEverything(VethPair net) {
        BpfMap array = BpfMap.create(MapSpec.array("fd_array", 8, 4));
        BpfMap hash = BpfMap.create(MapSpec.hash("fd_hash", 4, 8, 16));
        BpfMap ring = BpfMap.create(MapSpec.ringBuffer("fd_ring", 1 << 16));
        RingBufferReader reader = new RingBufferReader(ring);
        Program prog = Program.load(ProgramSpec.of("fd_prog", ProgramType.SCHED_CLS,
                new Assembler().mov64(R0, TcxVerdict.NEXT).exit().assemble()));
        Link link = Link.tcx(prog, net.outer, TcxDirection.INGRESS);
        link.close();
        prog.close();
        reader.close();
        ring.close();
        hash.close();
        array.close();
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
