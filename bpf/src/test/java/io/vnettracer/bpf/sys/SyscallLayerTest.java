package io.vnettracer.bpf.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class SyscallLayerTest {
    @Test
    void aFailedCommandNamesItselfAndTheErrno() {
        MemorySegment a = Bpf.attr();
        a.set(java.lang.foreign.ValueLayout.JAVA_INT, Attr.MapElem.MAP_FD, 100_000); // no such descriptor
        BpfException e = assertThrows(BpfException.class,
                () -> Bpf.call(BpfCommand.BPF_MAP_LOOKUP_ELEM, a, "looking up in a map that is not there"));
        assertEquals("EBADF", e.errnoName());
        assertEquals("BPF_MAP_LOOKUP_ELEM", e.command());
        assertTrue(e.getMessage().startsWith("looking up in a map that is not there: BPF_MAP_LOOKUP_ELEM failed: EBADF"),
                e.getMessage());
    }

    @Test
    void errnoNamesAndDescriptions() {
        assertEquals("EPERM", Errno.name(1));
        assertEquals("ENOTSUPP", Errno.name(524));
        assertEquals("errno 4095", Errno.name(4095));
        assertEquals("Operation not permitted", Errno.describe(1));
    }

    @Test
    void possibleCpuListsAreCountedUpToTheHighestId() {
        assertEquals(1, Cpus.parseRangeList("0\n"));
        assertEquals(4, Cpus.parseRangeList("0-3"));
        assertEquals(12, Cpus.parseRangeList("0-3,8,10-11"));
        assertTrue(Cpus.possible() >= Runtime.getRuntime().availableProcessors());
    }

    @Test
    void aSoftwarePerfCounterCountsThisProcessesTime() {
        // Against the thread's own CPU time (the JVM's count, not ours): on a busy machine 20 ms of
        // spinning can get half a core, so wall time is not the ground truth.
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        try (Fd clock = PerfEvent.openSoftwareCounter(PerfEvent.PERF_COUNT_SW_TASK_CLOCK)) {
            long before = PerfEvent.read(clock);
            long cpuBefore = threads.getCurrentThreadCpuTime();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (threads.getCurrentThreadCpuTime() - cpuBefore < 20_000_000 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            long cpu = threads.getCurrentThreadCpuTime() - cpuBefore;
            long after = PerfEvent.read(clock);
            assertTrue(cpu >= 20_000_000, "the thread got " + cpu + " ns of CPU in 5 s");
            assertTrue(after - before >= cpu * 8 / 10, "task clock advanced " + (after - before) + " ns while the thread ran "
                    + cpu + " ns");
        }
    }

    @Test
    void interfaceNamesAndIndexesOfLoopback() {
        assertEquals(1, LibC.ifNameToIndex("lo"));
        assertEquals("lo", LibC.ifIndexToName(1));
        assertEquals(0, LibC.ifNameToIndex("no-such-if0"));
    }
}
