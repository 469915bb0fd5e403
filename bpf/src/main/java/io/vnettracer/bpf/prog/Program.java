package io.vnettracer.bpf.prog;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.vnettracer.bpf.asm.Instructions;
import io.vnettracer.bpf.sys.Attr;
import io.vnettracer.bpf.sys.Bpf;
import io.vnettracer.bpf.sys.BpfCommand;
import io.vnettracer.bpf.sys.Errno;
import io.vnettracer.bpf.sys.Fd;
import io.vnettracer.bpf.sys.ObjectName;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** A program loaded into the kernel. */
public final class Program implements AutoCloseable {
    private static final int FIRST_LOG_SIZE = 1 << 20;
    /** The largest log older kernels accept (UINT32_MAX >> 8 since 5.2, 16 MiB before). */
    private static final int MAX_LOG_SIZE = (1 << 24) - 1;

    private final Fd fd;
    private final ProgramSpec spec;

    private Program(Fd fd, ProgramSpec spec) {
        this.fd = fd;
        this.spec = spec;
    }

    /**
     * Loads a program. On refusal, throws a {@link ProgramLoadException} with the verifier's log and
     * the listing; the load is tried once without a log (cheap) and repeated with one only on failure.
     */
    public static Program load(ProgramSpec spec) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment insns = spec.instructions().toSegment(arena);
            MemorySegment license = arena.allocateFrom(spec.license());
            long r = tryLoad(spec, insns, license, MemorySegment.NULL, 0);
            if (r >= 0) {
                return new Program(new Fd((int) r), spec);
            }
            int logSize = FIRST_LOG_SIZE;
            while (true) {
                MemorySegment log = arena.allocate(logSize);
                r = tryLoad(spec, insns, license, log, logSize);
                if (r >= 0) {
                    // Loads can succeed on a retry (e.g. a transient ENOMEM); take the program.
                    return new Program(new Fd((int) r), spec);
                }
                int errno = (int) -r;
                if (errno == Errno.ENOSPC && logSize < MAX_LOG_SIZE) {
                    logSize = Math.min(MAX_LOG_SIZE, logSize * 4);
                    continue;
                }
                throw new ProgramLoadException(spec.name(), errno, log.getString(0), spec.instructions().toString());
            }
        }
    }

    private static long tryLoad(ProgramSpec spec, MemorySegment insns, MemorySegment license,
                                MemorySegment log, int logSize) {
        MemorySegment a = Bpf.attr();
        a.set(JAVA_INT, Attr.ProgLoad.PROG_TYPE, spec.type().number());
        a.set(JAVA_INT, Attr.ProgLoad.INSN_CNT, spec.instructions().size());
        a.set(JAVA_LONG, Attr.ProgLoad.INSNS, insns.address());
        a.set(JAVA_LONG, Attr.ProgLoad.LICENSE, license.address());
        if (logSize > 0) {
            a.set(JAVA_INT, Attr.ProgLoad.LOG_LEVEL, 1);
            a.set(JAVA_INT, Attr.ProgLoad.LOG_SIZE, logSize);
            a.set(JAVA_LONG, Attr.ProgLoad.LOG_BUF, log.address());
        }
        ObjectName.write(a, Attr.ProgLoad.PROG_NAME, spec.name());
        if (spec.expectedAttachType() != null) {
            a.set(JAVA_INT, Attr.ProgLoad.EXPECTED_ATTACH_TYPE, spec.expectedAttachType().number());
        }
        a.set(JAVA_INT, Attr.ProgLoad.ATTACH_BTF_ID, spec.attachBtfId());
        return Bpf.tryCall(BpfCommand.BPF_PROG_LOAD, a);
    }

    public Fd fd() {
        return fd;
    }

    public String name() {
        return spec.name();
    }

    public ProgramType type() {
        return spec.type();
    }

    public ProgramSpec spec() {
        return spec;
    }

    public Instructions instructions() {
        return spec.instructions();
    }

    /** The program as readable assembly. */
    public String listing() {
        return spec.instructions().toString();
    }

    /** The kernel's id of this program (as bpftool shows it). */
    public int id() {
        return Bpf.objectId(fd.get(), Attr.ProgInfo.SIZE, Attr.ProgInfo.ID, "program '" + name() + "'");
    }

    /**
     * Runs the program {@code repeat} times on {@code data} in the kernel (BPF_PROG_TEST_RUN), for
     * types that support it (socket filter, tc, xdp, cgroup_skb, raw tracepoints with a context).
     */
    public TestRunResult testRun(byte[] data, int repeat) {
        return testRun(data, null, repeat);
    }

    /**
     * The same with a context passed in too ({@code struct __sk_buff} for tc programs: the kernel
     * takes only the fields it lets a test set, e.g. mark, priority, gso_segs, gso_size, and refuses
     * the run with EINVAL if any other is non-zero). A null context passes none.
     */
    public TestRunResult testRun(byte[] data, byte[] context, int repeat) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate(Math.max(1, data.length));
            MemorySegment.copy(data, 0, in, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, data.length);
            int outSize = data.length + 256;
            MemorySegment out = arena.allocate(outSize);
            MemorySegment a = Bpf.attr();
            a.set(JAVA_INT, Attr.TestRun.PROG_FD, fd.get());
            a.set(JAVA_INT, Attr.TestRun.DATA_SIZE_IN, data.length);
            a.set(JAVA_LONG, Attr.TestRun.DATA_IN, in.address());
            a.set(JAVA_INT, Attr.TestRun.DATA_SIZE_OUT, outSize);
            a.set(JAVA_LONG, Attr.TestRun.DATA_OUT, out.address());
            a.set(JAVA_INT, Attr.TestRun.REPEAT, repeat);
            if (context != null) {
                MemorySegment ctx = arena.allocate(Math.max(1, context.length));
                MemorySegment.copy(context, 0, ctx, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, context.length);
                a.set(JAVA_INT, Attr.TestRun.CTX_SIZE_IN, context.length);
                a.set(JAVA_LONG, Attr.TestRun.CTX_IN, ctx.address());
            }
            Bpf.call(BpfCommand.BPF_PROG_TEST_RUN, a, "test run of program '" + name() + "'");
            int retval = a.get(JAVA_INT, Attr.TestRun.RETVAL);
            long duration = Integer.toUnsignedLong(a.get(JAVA_INT, Attr.TestRun.DURATION));
            int produced = Math.min(outSize, a.get(JAVA_INT, Attr.TestRun.DATA_SIZE_OUT));
            return new TestRunResult(retval, duration, out.asSlice(0, produced).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
        }
    }

    /** Runs a program that takes only a context (raw tracepoints, syscall programs). */
    public TestRunResult testRunContext(byte[] context) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ctx = arena.allocate(Math.max(1, context.length));
            MemorySegment.copy(context, 0, ctx, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, context.length);
            MemorySegment a = Bpf.attr();
            a.set(JAVA_INT, Attr.TestRun.PROG_FD, fd.get());
            a.set(JAVA_INT, Attr.TestRun.CTX_SIZE_IN, context.length);
            a.set(JAVA_LONG, Attr.TestRun.CTX_IN, ctx.address());
            Bpf.call(BpfCommand.BPF_PROG_TEST_RUN, a, "test run of program '" + name() + "'");
            return new TestRunResult(a.get(JAVA_INT, Attr.TestRun.RETVAL),
                    Integer.toUnsignedLong(a.get(JAVA_INT, Attr.TestRun.DURATION)), new byte[0]);
        }
    }

    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return "program '" + name() + "' (" + spec.type().kernelName() + ", " + spec.instructions().size() + " insns)";
    }
}
