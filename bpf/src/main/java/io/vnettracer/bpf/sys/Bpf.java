package io.vnettracer.bpf.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The bpf(2) system call. Attributes are written into a per-thread, zeroed {@code union bpf_attr}
 * buffer ({@link #attr()}), so a command allocates nothing.
 */
public final class Bpf {
    /**
     * Bytes of union bpf_attr we pass. The kernel accepts a shorter union than its own and requires
     * any tail beyond what it knows to be zero, so one generous size serves every kernel.
     */
    public static final int ATTR_SIZE = 160;

    private static final ThreadLocal<MemorySegment> ATTR =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(ATTR_SIZE, 8));

    private Bpf() {}

    /**
     * This thread's attribute buffer, zeroed. Fill it and pass it to {@link #call} before anything
     * else on this thread uses it.
     */
    public static MemorySegment attr() {
        MemorySegment a = ATTR.get();
        a.fill((byte) 0);
        return a;
    }

    /** Runs a command; returns its non-negative result or throws naming command, errno and context. */
    public static int call(BpfCommand cmd, MemorySegment attr, String context) {
        long r = LibC.syscall(SyscallNumbers.BPF, cmd.number(), attr.address(), attr.byteSize());
        if (r < 0) {
            throw new BpfException(cmd.name(), (int) -r, context);
        }
        return (int) r;
    }

    /** Runs a command; returns its result, or minus the errno, for callers that expect failure. */
    public static long tryCall(BpfCommand cmd, MemorySegment attr) {
        return LibC.syscall(SyscallNumbers.BPF, cmd.number(), attr.address(), attr.byteSize());
    }

    /** perf_event_open(2); returns the new descriptor or throws. */
    public static int perfEventOpen(MemorySegment perfEventAttr, int pid, int cpu, int groupFd, long flags, String context) {
        long r = LibC.syscall(SyscallNumbers.PERF_EVENT_OPEN, perfEventAttr.address(), pid, cpu, groupFd, flags);
        if (r < 0) {
            throw new BpfException("perf_event_open", (int) -r, context);
        }
        return (int) r;
    }

    /** Fills {@code info} (a struct bpf_prog_info, bpf_map_info or bpf_link_info) for an object. */
    public static void objectInfo(int fd, MemorySegment info, String context) {
        MemorySegment a = attr();
        a.set(java.lang.foreign.ValueLayout.JAVA_INT, Attr.InfoByFd.BPF_FD, fd);
        a.set(java.lang.foreign.ValueLayout.JAVA_INT, Attr.InfoByFd.INFO_LEN, (int) info.byteSize());
        a.set(java.lang.foreign.ValueLayout.JAVA_LONG, Attr.InfoByFd.INFO, info.address());
        call(BpfCommand.BPF_OBJ_GET_INFO_BY_FD, a, context);
    }

    /**
     * The kernel's id of a program, map or link: the u32 at {@code idOffset} of its info structure
     * of {@code infoSize} bytes (in each of them the id is the second field).
     */
    public static int objectId(int fd, int infoSize, int idOffset, String what) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(infoSize, 8);
            objectInfo(fd, info, "reading the id of " + what);
            return info.get(java.lang.foreign.ValueLayout.JAVA_INT, idOffset);
        }
    }

    /** Pins an object at a path on a bpffs mount. */
    public static void pin(int fd, String path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = attr();
            a.set(java.lang.foreign.ValueLayout.JAVA_LONG, Attr.Obj.PATHNAME, arena.allocateFrom(path).address());
            a.set(java.lang.foreign.ValueLayout.JAVA_INT, Attr.Obj.BPF_FD, fd);
            call(BpfCommand.BPF_OBJ_PIN, a, "pinning at " + path);
        }
    }

    /** Opens a pinned object; the caller owns the returned descriptor. */
    public static int getPinned(String path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = attr();
            a.set(java.lang.foreign.ValueLayout.JAVA_LONG, Attr.Obj.PATHNAME, arena.allocateFrom(path).address());
            return call(BpfCommand.BPF_OBJ_GET, a, "opening pinned object " + path);
        }
    }
}
