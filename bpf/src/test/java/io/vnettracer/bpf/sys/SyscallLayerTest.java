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
        try (Fd clock = PerfEvent.openSoftwareCounter(PerfEvent.PERF_COUNT_SW_TASK_CLOCK)) {
            long before = PerfEvent.read(clock);
            long spin = System.nanoTime() + 20_000_000;
            while (System.nanoTime() < spin) {
                Thread.onSpinWait();
            }
            long after = PerfEvent.read(clock);
            assertTrue(after - before >= 10_000_000, "task clock advanced " + (after - before) + " ns in 20 ms of spinning");
        }
    }

    @Test
    void interfaceNamesAndIndexesOfLoopback() {
        assertEquals(1, LibC.ifNameToIndex("lo"));
        assertEquals("lo", LibC.ifIndexToName(1));
        assertEquals(0, LibC.ifNameToIndex("no-such-if0"));
    }
}
