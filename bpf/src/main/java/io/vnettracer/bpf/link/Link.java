package io.vnettracer.bpf.link;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.vnettracer.bpf.prog.AttachType;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.sys.Attr;
import io.vnettracer.bpf.sys.Bpf;
import io.vnettracer.bpf.sys.BpfCommand;
import io.vnettracer.bpf.sys.Fd;
import io.vnettracer.bpf.sys.LibC;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * A program attached to a hook. Closing the link detaches the program (unless it was pinned).
 * {@link #update} swaps in another program of the same type atomically, with no moment when the
 * hook runs neither.
 */
public final class Link implements AutoCloseable {
    private final Fd fd;
    private final String description;
    private volatile Program program;

    private Link(int fd, Program program, String description) {
        this.fd = new Fd(fd);
        this.program = program;
        this.description = description;
    }

    /** TCX on an interface of the calling thread's namespace (kernel 6.6+). */
    public static Link tcx(Program program, int ifindex, TcxDirection direction) {
        MemorySegment a = Bpf.attr();
        a.set(JAVA_INT, Attr.LinkCreate.PROG_FD, program.fd().get());
        a.set(JAVA_INT, Attr.LinkCreate.TARGET_IFINDEX, ifindex);
        a.set(JAVA_INT, Attr.LinkCreate.ATTACH_TYPE, direction.attachType().number());
        String what = "tcx " + direction.label() + " of ifindex " + ifindex;
        int fd = Bpf.call(BpfCommand.BPF_LINK_CREATE, a, "attaching " + program + " to " + what);
        return new Link(fd, program, what);
    }

    /** TCX on a named interface of the calling thread's namespace. */
    public static Link tcx(Program program, String ifname, TcxDirection direction) {
        return tcx(program, requireIfindex(ifname), direction);
    }

    /** XDP on an interface of the calling thread's namespace (the driver's mode if it has one, else generic). */
    public static Link xdp(Program program, int ifindex) {
        MemorySegment a = Bpf.attr();
        a.set(JAVA_INT, Attr.LinkCreate.PROG_FD, program.fd().get());
        a.set(JAVA_INT, Attr.LinkCreate.TARGET_IFINDEX, ifindex);
        a.set(JAVA_INT, Attr.LinkCreate.ATTACH_TYPE, AttachType.XDP.number());
        String what = "xdp of ifindex " + ifindex;
        return new Link(Bpf.call(BpfCommand.BPF_LINK_CREATE, a, "attaching " + program + " to " + what), program, what);
    }

    /**
     * A tp_btf program (type TRACING, attach type TRACE_RAW_TP, loaded with the BTF id of
     * {@code btf_trace_<name>}) to its tracepoint.
     */
    public static Link tracing(Program program) {
        MemorySegment a = Bpf.attr();
        a.set(JAVA_INT, Attr.RawTracepointOpen.PROG_FD, program.fd().get());
        String what = "its BTF tracepoint";
        return new Link(Bpf.call(BpfCommand.BPF_RAW_TRACEPOINT_OPEN, a, "attaching " + program + " to " + what),
                program, "tp_btf " + program.name());
    }

    /** A RAW_TRACEPOINT program to the tracepoint {@code name} (e.g. {@code net_dev_queue}). */
    public static Link rawTracepoint(Program program, String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment tp = arena.allocateFrom(name);
            MemorySegment a = Bpf.attr();
            a.set(JAVA_LONG, Attr.RawTracepointOpen.NAME, tp.address());
            a.set(JAVA_INT, Attr.RawTracepointOpen.PROG_FD, program.fd().get());
            String what = "raw tracepoint " + name;
            return new Link(Bpf.call(BpfCommand.BPF_RAW_TRACEPOINT_OPEN, a, "attaching " + program + " to " + what),
                    program, what);
        }
    }

    /** A cgroup program (CGROUP_SKB, SOCK_OPS, ...) to a cgroup v2 directory. */
    public static Link cgroup(Program program, Path cgroupDir, AttachType attachType) {
        int dirFd = LibC.open(cgroupDir.toString(), LibC.O_RDONLY | LibC.O_DIRECTORY);
        try (Fd dir = new Fd(dirFd)) {
            MemorySegment a = Bpf.attr();
            a.set(JAVA_INT, Attr.LinkCreate.PROG_FD, program.fd().get());
            a.set(JAVA_INT, Attr.LinkCreate.TARGET_FD, dir.get());
            a.set(JAVA_INT, Attr.LinkCreate.ATTACH_TYPE, attachType.number());
            String what = attachType.kernelName() + " of cgroup " + cgroupDir;
            return new Link(Bpf.call(BpfCommand.BPF_LINK_CREATE, a, "attaching " + program + " to " + what), program, what);
        }
    }

    private static int requireIfindex(String ifname) {
        int ifindex = LibC.ifNameToIndex(ifname);
        if (ifindex == 0) {
            throw new IllegalArgumentException("no interface '" + ifname + "' in this network namespace"
                    + " (see 'ip link'; for another namespace, attach inside NetNamespace.run)");
        }
        return ifindex;
    }

    /** Replaces the attached program with {@code next}, atomically; the old one stays loaded. */
    public void update(Program next) {
        MemorySegment a = Bpf.attr();
        a.set(JAVA_INT, Attr.LinkUpdate.LINK_FD, fd.get());
        a.set(JAVA_INT, Attr.LinkUpdate.NEW_PROG_FD, next.fd().get());
        Bpf.call(BpfCommand.BPF_LINK_UPDATE, a, "replacing " + program + " with " + next + " on " + description);
        program = next;
    }

    /** The kernel's id of this link. */
    public int id() {
        return Bpf.objectId(fd.get(), Attr.LinkInfo.SIZE, Attr.LinkInfo.ID, "link " + description);
    }

    public Program program() {
        return program;
    }

    public Fd fd() {
        return fd;
    }

    /** Pins the link on a bpffs mount: it then outlives this process until the pin is removed. */
    public void pin(String path) {
        Bpf.pin(fd.get(), path);
    }

    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return "link " + description + " -> " + program;
    }
}
