package io.vnettracer.bpf.link;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.vnettracer.bpf.sys.Attr;
import io.vnettracer.bpf.sys.Bpf;
import io.vnettracer.bpf.sys.BpfCommand;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** What is attached to one side of an interface through TCX (BPF_PROG_QUERY). */
public record TcxQuery(int[] programIds, int[] linkIds, long revision) {
    private static final int MAX = 64;

    /** Queries an interface of the calling thread's network namespace. */
    public static TcxQuery of(int ifindex, TcxDirection direction) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment progIds = arena.allocate(JAVA_INT, MAX);
            MemorySegment linkIds = arena.allocate(JAVA_INT, MAX);
            MemorySegment a = Bpf.attr();
            a.set(JAVA_INT, Attr.ProgQuery.TARGET_IFINDEX, ifindex);
            a.set(JAVA_INT, Attr.ProgQuery.ATTACH_TYPE, direction.attachType().number());
            a.set(JAVA_LONG, Attr.ProgQuery.PROG_IDS, progIds.address());
            a.set(JAVA_INT, Attr.ProgQuery.PROG_CNT, MAX);
            a.set(JAVA_LONG, Attr.ProgQuery.LINK_IDS, linkIds.address());
            Bpf.call(BpfCommand.BPF_PROG_QUERY, a, "querying tcx " + direction.label() + " of ifindex " + ifindex);
            int count = a.get(JAVA_INT, Attr.ProgQuery.PROG_CNT);
            int n = Math.min(count, MAX);
            return new TcxQuery(progIds.asSlice(0, 4L * n).toArray(JAVA_INT),
                    linkIds.asSlice(0, 4L * n).toArray(JAVA_INT), a.get(JAVA_LONG, Attr.ProgQuery.REVISION));
        }
    }

    public int count() {
        return programIds.length;
    }
}
