package io.vnettracer.probe.sched;

import static io.vnettracer.bpf.asm.Reg.R0;
import static io.vnettracer.bpf.asm.Reg.R1;
import static io.vnettracer.bpf.asm.Reg.R10;
import static io.vnettracer.bpf.asm.Reg.R2;
import static io.vnettracer.bpf.asm.Reg.R3;
import static io.vnettracer.bpf.asm.Reg.R4;
import static io.vnettracer.bpf.asm.Reg.R6;
import static io.vnettracer.bpf.asm.Reg.R7;
import static io.vnettracer.bpf.asm.Reg.R8;
import static io.vnettracer.bpf.asm.Reg.R9;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Helper;
import io.vnettracer.bpf.btf.Btf;
import io.vnettracer.bpf.btf.BtfTracepoint;
import io.vnettracer.bpf.map.BpfMap;
import io.vnettracer.bpf.map.MapSpec;
import io.vnettracer.bpf.prog.AttachType;
import io.vnettracer.bpf.prog.ProgramSpec;
import io.vnettracer.bpf.prog.ProgramType;

/**
 * Run-queue waits of the tasks of one network namespace, from two tp_btf programs:
 * {@code sched_wakeup} stamps a woken task of the namespace (by tid); {@code sched_switch}, when
 * such a task is switched in, adds the time since its wake-up to the statistics of the task it
 * replaces on the CPU, the one that held it meanwhile (the idle task, {@code swapper/N}, when the
 * CPU was idle and had to wake up).
 *
 * <p>Statistics, keyed by the holder's tid ({@value #STATS_VALUE_SIZE} bytes): u64 waits, u64 total
 * ns, u64 longest ns (updated without a lock: a concurrent update may keep the smaller of two), u32
 * holder tgid, u32 zero, char[16] holder comm. Wake-ups are kept in an LRU map, so a task woken and
 * never run does not fill it.
 */
public final class RunQueueWaitProgram implements AutoCloseable {
    public static final int STATS_WAITS = 0;
    public static final int STATS_TOTAL_NS = 8;
    public static final int STATS_MAX_NS = 16;
    public static final int STATS_TGID = 24;
    public static final int STATS_COMM = 32;
    public static final int COMM_LENGTH = 16;
    public static final int STATS_VALUE_SIZE = 48;
    private static final int MAX_WAKEUPS = 4096;
    private static final int MAX_HOLDERS = 1024;

    /** Stack: the u32 key at -8, a timestamp at -16, a statistics value at -64 (48 bytes). */
    private static final int KEY = -8;
    private static final int STAMP = -16;
    private static final int VALUE = -64;

    private final BpfMap wakeups;
    private final BpfMap stats;
    private final ProgramSpec wakeup;
    private final ProgramSpec switchIn;

    /** The programs for the namespace whose cookie is {@code netnsCookie}; the maps are created now. */
    public RunQueueWaitProgram(Btf btf, long netnsCookie) {
        BpfMap w = BpfMap.create(MapSpec.lruHash("vnt_rq_wakeups", 4, 8, MAX_WAKEUPS));
        BpfMap s;
        try {
            s = BpfMap.create(MapSpec.hash("vnt_rq_stats", 4, STATS_VALUE_SIZE, MAX_HOLDERS));
        } catch (RuntimeException e) {
            w.close();
            throw e;
        }
        this.wakeups = w;
        this.stats = s;
        TaskOffsets task = TaskOffsets.of(btf);
        this.wakeup = wakeupProgram(btf, task, netnsCookie);
        this.switchIn = switchProgram(btf, task);
    }

    public ProgramSpec wakeupProgram() {
        return wakeup;
    }

    public ProgramSpec switchProgram() {
        return switchIn;
    }

    /** Holder tid → statistics value, as {@link #STATS_VALUE_SIZE}-byte arrays (read them with the offsets above). */
    public BpfMap stats() {
        return stats;
    }

    private ProgramSpec wakeupProgram(Btf btf, TaskOffsets task, long netnsCookie) {
        BtfTracepoint tp = btf.tracepoint("sched_wakeup");
        Assembler a = new Assembler();
        a.ldx(8, R6, R1, 8 * tp.argIndex("p"))
                // p->nsproxy->net_ns->net_cookie: BTF-typed loads, 0 where a pointer is NULL (an exiting task).
                .ldx(8, R1, R6, task.nsproxy())
                .jeq(R1, 0, "out")
                .ldx(8, R1, R1, task.netNs())
                .jeq(R1, 0, "out")
                .ldx(8, R1, R1, task.netCookie())
                .ldImm64(R2, netnsCookie)
                .jne(R1, R2, "out")
                .ldx(4, R1, R6, task.pid())
                .stx(4, R10, KEY, R1)
                .call(Helper.KTIME_GET_NS)
                .stx(8, R10, STAMP, R0)
                .ldMapFd(R1, wakeups.fd().get())
                .mov64(R2, R10).add64(R2, KEY)
                .mov64(R3, R10).add64(R3, STAMP)
                .mov64(R4, (int) BpfMap.BPF_ANY)
                .call(Helper.MAP_UPDATE_ELEM)
                .label("out")
                .mov64(R0, 0)
                .exit();
        return ProgramSpec.of("vnt_rq_wakeup", ProgramType.TRACING, a.assemble())
                .withAttach(AttachType.TRACE_RAW_TP, tp.attachId());
    }

    private ProgramSpec switchProgram(Btf btf, TaskOffsets task) {
        BtfTracepoint tp = btf.tracepoint("sched_switch");
        Assembler a = new Assembler();
        a.ldx(8, R6, R1, 8 * tp.argIndex("prev"))
                .ldx(8, R7, R1, 8 * tp.argIndex("next"))
                .ldx(4, R1, R7, task.pid())
                .stx(4, R10, KEY, R1)
                .ldMapFd(R1, wakeups.fd().get())
                .mov64(R2, R10).add64(R2, KEY)
                .call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, "out")
                .ldx(8, R8, R0, 0)
                .call(Helper.KTIME_GET_NS)
                .mov64(R9, R0).sub64(R9, R8)
                .ldMapFd(R1, wakeups.fd().get())
                .mov64(R2, R10).add64(R2, KEY)
                .call(Helper.MAP_DELETE_ELEM)
                // The holder: the task leaving the CPU now.
                .ldx(4, R1, R6, task.pid())
                .stx(4, R10, KEY, R1)
                .ldMapFd(R1, stats.fd().get())
                .mov64(R2, R10).add64(R2, KEY)
                .call(Helper.MAP_LOOKUP_ELEM)
                .jne(R0, 0, "count");
        for (int off = 0; off < STATS_VALUE_SIZE; off += 8) {
            a.st(8, R10, VALUE + off, 0);
        }
        a.ldx(4, R1, R6, task.tgid())
                .stx(4, R10, VALUE + STATS_TGID, R1)
                .mov64(R1, R10).add64(R1, VALUE + STATS_COMM)
                .mov64(R2, COMM_LENGTH)
                .mov64(R3, R6).add64(R3, task.comm())
                .call(Helper.PROBE_READ_KERNEL)
                .ldMapFd(R1, stats.fd().get())
                .mov64(R2, R10).add64(R2, KEY)
                .mov64(R3, R10).add64(R3, VALUE)
                .mov64(R4, (int) BpfMap.BPF_NOEXIST)
                .call(Helper.MAP_UPDATE_ELEM)
                .ldMapFd(R1, stats.fd().get())
                .mov64(R2, R10).add64(R2, KEY)
                .call(Helper.MAP_LOOKUP_ELEM)
                .jeq(R0, 0, "out")
                .label("count")
                .mov64(R1, 1)
                .atomicAdd(8, R0, STATS_WAITS, R1)
                .atomicAdd(8, R0, STATS_TOTAL_NS, R9)
                .ldx(8, R1, R0, STATS_MAX_NS)
                .jge(R1, R9, "out")
                .stx(8, R0, STATS_MAX_NS, R9)
                .label("out")
                .mov64(R0, 0)
                .exit();
        return ProgramSpec.of("vnt_rq_switch", ProgramType.TRACING, a.assemble())
                .withAttach(AttachType.TRACE_RAW_TP, tp.attachId());
    }

    @Override
    public void close() {
        stats.close();
        wakeups.close();
    }

    /** Offsets in task_struct, nsproxy and net (from BTF). */
    private record TaskOffsets(int pid, int tgid, int comm, int nsproxy, int netNs, int netCookie) {
        static TaskOffsets of(Btf btf) {
            return new TaskOffsets(
                    (int) btf.member("task_struct", "pid").byteOffset(),
                    (int) btf.member("task_struct", "tgid").byteOffset(),
                    (int) btf.member("task_struct", "comm").byteOffset(),
                    (int) btf.member("task_struct", "nsproxy").byteOffset(),
                    (int) btf.member("nsproxy", "net_ns").byteOffset(),
                    (int) btf.member("net", "net_cookie").byteOffset());
        }
    }
}
