package io.vnettracer.bpf.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * perf_event_open(2) for software counters: the kernel's own clock of a task, used to tell how much
 * CPU a process got. Layout of struct perf_event_attr from include/uapi/linux/perf_event.h.
 */
public final class PerfEvent {
    private static final int PERF_TYPE_SOFTWARE = 1;
    /** enum perf_sw_ids. */
    public static final int PERF_COUNT_SW_CPU_CLOCK = 0;
    public static final int PERF_COUNT_SW_TASK_CLOCK = 1;
    public static final int PERF_COUNT_SW_CONTEXT_SWITCHES = 3;
    private static final int ATTR_TYPE = 0;
    private static final int ATTR_SIZE = 4;
    private static final int ATTR_CONFIG = 8;
    /** PERF_ATTR_SIZE_VER5; the kernel accepts any published size. */
    private static final int ATTR_BYTES = 112;
    private static final long PERF_FLAG_FD_CLOEXEC = 1L << 3;

    private PerfEvent() {}

    /** Opens a software counter of the calling process on any CPU; read it with {@link #read}. */
    public static Fd openSoftwareCounter(int config) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(ATTR_BYTES, 8);
            attr.set(JAVA_INT, ATTR_TYPE, PERF_TYPE_SOFTWARE);
            attr.set(JAVA_INT, ATTR_SIZE, ATTR_BYTES);
            attr.set(JAVA_LONG, ATTR_CONFIG, config);
            return new Fd(Bpf.perfEventOpen(attr, 0, -1, -1, PERF_FLAG_FD_CLOEXEC,
                    "opening software perf counter " + config));
        }
    }

    /** The counter's current value. */
    public static long read(Fd counter) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(JAVA_LONG);
            LibC.read(counter.get(), value, "reading a perf counter");
            return value.get(JAVA_LONG, 0);
        }
    }
}
