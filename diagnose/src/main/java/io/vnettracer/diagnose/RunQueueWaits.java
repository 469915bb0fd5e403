package io.vnettracer.diagnose;

import io.vnettracer.bpf.btf.Btf;
import io.vnettracer.bpf.link.Link;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.journey.diagnosis.CpuWaitEvidence;
import io.vnettracer.probe.sched.RunQueueWaitProgram;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The run-queue waits of one namespace's tasks, attached while a trace runs (RunQueueWaitProgram). */
final class RunQueueWaits implements AutoCloseable {
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private final String probe;
    private final String namespace;
    private final RunQueueWaitProgram programs;
    private final List<Program> loaded = new ArrayList<>();
    private final List<Link> links = new ArrayList<>();

    RunQueueWaits(String probe, String namespace) {
        this.probe = probe;
        this.namespace = namespace;
        this.programs = new RunQueueWaitProgram(Btf.kernel(), NamespaceCookie.of(namespace));
        try {
            // Switch-in first: a wake-up stamped before it is attached would only be counted late.
            for (var spec : List.of(programs.switchProgram(), programs.wakeupProgram())) {
                Program p = Program.load(spec);
                loaded.add(p);
                links.add(Link.tracing(p));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    CpuWaitEvidence evidence() {
        List<CpuWaitEvidence.Holder> holders = new ArrayList<>();
        long max = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocate(4);
            MemorySegment value = arena.allocate(RunQueueWaitProgram.STATS_VALUE_SIZE);
            for (byte[] k : programs.stats().keys()) {
                key.copyFrom(MemorySegment.ofArray(k));
                if (!programs.stats().lookup(key, value)) {
                    continue;
                }
                byte[] comm = value.asSlice(RunQueueWaitProgram.STATS_COMM, RunQueueWaitProgram.COMM_LENGTH).toArray(ValueLayout.JAVA_BYTE);
                int end = 0;
                while (end < comm.length && comm[end] != 0) {
                    end++;
                }
                holders.add(new CpuWaitEvidence.Holder(new String(comm, 0, end, StandardCharsets.UTF_8),
                        Integer.toUnsignedLong(value.get(U32, RunQueueWaitProgram.STATS_TGID)),
                        Integer.toUnsignedLong(key.get(U32, 0)),
                        value.get(U64, RunQueueWaitProgram.STATS_WAITS), value.get(U64, RunQueueWaitProgram.STATS_TOTAL_NS)));
                max = Math.max(max, value.get(U64, RunQueueWaitProgram.STATS_MAX_NS));
            }
        }
        holders.sort(Comparator.comparingLong(CpuWaitEvidence.Holder::totalNs).reversed());
        long waits = holders.stream().mapToLong(CpuWaitEvidence.Holder::waits).sum();
        long total = holders.stream().mapToLong(CpuWaitEvidence.Holder::totalNs).sum();
        return new CpuWaitEvidence(probe, namespace, waits, total, max, holders);
    }

    @Override
    public void close() {
        links.forEach(Link::close);
        loaded.forEach(Program::close);
        programs.close();
    }
}
