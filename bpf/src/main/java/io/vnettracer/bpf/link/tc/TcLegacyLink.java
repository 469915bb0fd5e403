package io.vnettracer.bpf.link.tc;

import io.vnettracer.bpf.netlink.NetlinkException;
import io.vnettracer.bpf.netns.Interfaces;
import io.vnettracer.bpf.netns.NetNamespace;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.sys.Errno;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A SCHED_CLS program attached to an interface as a direct-action cls_bpf filter under a clsact
 * qdisc: the way to hook tc ingress and egress on kernels without TCX (before 6.6). Unlike a TCX
 * link the kernel does not remove the filter when this process dies, so each filter is named after
 * its owner and {@link #cleanStale()} removes those whose owner is gone ({@link #sweepStale()} in
 * every named namespace too).
 *
 * <p>Acts in the network namespace of the thread that calls {@link #attach}; {@link #close()} acts in
 * that same namespace from any thread. The clsact qdisc is added if the interface has none and
 * removed again when the last filter under a qdisc this process added goes; a clsact qdisc that was
 * there before is left alone. (Between our check that no filter is left and the deletion another
 * tool could add one, which the deletion would take with it: rtnetlink has no conditional delete, so this
 * short window is accepted.)
 */
public final class TcLegacyLink implements AutoCloseable {
    /** Let the kernel choose the priority: ahead of every filter already on the hook. */
    public static final int KERNEL_CHOOSES_PRIORITY = 0;

    /** Guards {@link #createdQdiscs} and the check-then-delete of a qdisc against our own attaches. */
    private static final Object QDISC_LOCK = new Object();
    /** The clsact qdiscs this process added, as "netns inode/ifindex". */
    private static final Set<String> createdQdiscs = new HashSet<>();

    private final TcNetlink netlink;
    private final String interfaceName;
    private final String where;
    private final TcFilter filter;
    private final String qdiscKey;
    private boolean closed;

    private TcLegacyLink(TcNetlink netlink, String interfaceName, TcFilter filter, String qdiscKey) {
        this.netlink = netlink;
        this.interfaceName = interfaceName;
        this.where = interfaceName + " " + filter.direction();
        this.filter = filter;
        this.qdiscKey = qdiscKey;
    }

    /** Attaches {@code program} to {@code interfaceName}'s {@code direction} hook, the kernel choosing the priority. */
    public static TcLegacyLink attach(Program program, String interfaceName, TcDirection direction, String probe) {
        return attach(program, interfaceName, direction, probe, KERNEL_CHOOSES_PRIORITY);
    }

    /**
     * Attaches {@code program} (of type SCHED_CLS; it should return TC_ACT_UNSPEC to let later
     * filters run) as a filter named after this
     * process and {@code probe} on {@code interfaceName}'s {@code direction} hook at
     * {@code priority} (1..65535, lower runs first; 0 lets the kernel choose).
     *
     * @throws io.vnettracer.bpf.netns.NetNamespaceException if the interface does not exist here
     * @throws NetlinkException if the kernel refuses the qdisc or the filter
     */
    public static TcLegacyLink attach(Program program, String interfaceName, TcDirection direction, String probe, int priority) {
        if (priority < 0 || priority > 0xFFFF) {
            throw new IllegalArgumentException("tc filter priority must be 0..65535, not " + priority);
        }
        String name = FilterOwner.ofThisProcess(probe).filterName();
        int ifindex = Interfaces.index(interfaceName);
        String where = interfaceName + " " + direction;
        String qdiscKey = NetNamespace.currentInode() + "/" + ifindex;
        TcNetlink netlink = TcNetlink.open();
        try {
            synchronized (QDISC_LOCK) {
                if (netlink.addClsact(ifindex, interfaceName)) {
                    createdQdiscs.add(qdiscKey);
                }
            }
            TcFilter filter = netlink.addFilter(ifindex, direction, priority, program.fd().get(), name, where);
            return new TcLegacyLink(netlink, interfaceName, filter, qdiscKey);
        } catch (RuntimeException e) {
            try {
                releaseQdisc(netlink, ifindex, interfaceName, qdiscKey);
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            netlink.close();
            throw e;
        }
    }

    /** The filter as the kernel reported it when it was added. */
    public TcFilter filter() {
        return filter;
    }

    /** The filter's name, e.g. {@code vnt-4242-123456-4026531836-probe}. */
    public String filterName() {
        return filter.name();
    }

    /**
     * Removes the filter (and the clsact qdisc if this process added it and no filter is left on
     * either hook). A filter that is already gone, with its qdisc or its interface, is not an error.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            deleteIfPresent();
            releaseQdisc(netlink, filter.ifindex(), interfaceName, qdiscKey);
        } finally {
            netlink.close();
        }
    }

    private void deleteIfPresent() {
        try {
            netlink.deleteFilter(filter, where);
        } catch (NetlinkException e) {
            boolean gone = e.errno() == Errno.ENOENT || e.errno() == Errno.ENODEV
                    // the kernel answers EINVAL ("parent qdisc doesn't exist") once clsact was deleted
                    || (e.errno() == Errno.EINVAL && !netlink.clsactInterfaces().contains(filter.ifindex()));
            if (!gone) {
                throw e;
            }
        }
    }

    /** Deletes the clsact qdisc if we added it and it has no filter left; forgets it if it is gone. */
    private static void releaseQdisc(TcNetlink netlink, int ifindex, String ifname, String qdiscKey) {
        synchronized (QDISC_LOCK) {
            if (!createdQdiscs.contains(qdiscKey)) {
                return;
            }
            if (!netlink.clsactInterfaces().contains(ifindex)) {
                createdQdiscs.remove(qdiscKey);
                return;
            }
            for (TcDirection d : TcDirection.values()) {
                if (!netlink.filters(ifindex, d, ifname + " " + d).isEmpty()) {
                    return;
                }
            }
            netlink.deleteClsact(ifindex, ifname);
            createdQdiscs.remove(qdiscKey);
        }
    }

    /**
     * Removes, from every interface of the calling thread's namespace that has a clsact qdisc, the
     * filters this library attached for processes that have exited. Returns what it removed. Leaves
     * the clsact qdiscs alone: whether the dead process added them cannot be known.
     */
    public static List<TcFilter> cleanStale() {
        return cleanStale(null);
    }

    /** {@link #cleanStale()} for the named interfaces only (those without a clsact qdisc are skipped). */
    public static List<TcFilter> cleanStale(String... interfaceNames) {
        List<TcFilter> removed = new ArrayList<>();
        try (TcNetlink netlink = TcNetlink.open()) {
            Set<Integer> candidates = netlink.clsactInterfaces();
            if (interfaceNames != null) {
                Set<Integer> named = new LinkedHashSet<>();
                for (String n : interfaceNames) {
                    named.add(Interfaces.index(n));
                }
                named.retainAll(candidates);
                candidates = named;
            }
            for (int ifindex : candidates) {
                for (TcDirection d : TcDirection.values()) {
                    String where = "ifindex " + ifindex + " " + d;
                    for (TcFilter f : netlink.filters(ifindex, d, where)) {
                        if (f.isOurs() && FilterOwner.parse(f.name()).map(FilterOwner::isGone).orElse(false)) {
                            deleteStale(netlink, f, where, removed);
                        }
                    }
                }
            }
        }
        return removed;
    }

    /** A stale filter the sweep removed, and the named namespace it was in (null: the caller's own). */
    public record RemovedFilter(String namespace, TcFilter filter) {}

    /**
     * What {@link #sweepStale()} did: the filters it removed, and the named namespaces it could not
     * look into (gone meanwhile, or a netlink error), each with the reason.
     */
    public record Sweep(List<RemovedFilter> removed, List<String> skipped) {}

    /**
     * {@link #cleanStale()} on every interface the caller can reach by name: its own network
     * namespace and every named one (/var/run/netns), each once (a name bound to the caller's own
     * namespace is not swept twice). So a filter a killed tracer left on an interface no later trace
     * attaches to is removed too. Namespaces without a name are not swept: the tracer attaches only
     * in its own namespace and in named ones, and a filter in a namespace that is deleted goes with
     * its interface. A named namespace that cannot be entered or dumped is skipped and reported;
     * only a failure in the caller's own namespace throws.
     */
    public static Sweep sweepStale() {
        List<RemovedFilter> removed = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Set<Long> swept = new HashSet<>();
        swept.add(NetNamespace.currentInode());
        cleanStale().forEach(f -> removed.add(new RemovedFilter(null, f)));
        for (String name : NetNamespace.list()) {
            try (NetNamespace ns = NetNamespace.named(name)) {
                if (swept.add(ns.inode())) {
                    ns.run(() -> cleanStale()).forEach(f -> removed.add(new RemovedFilter(name, f)));
                }
            } catch (RuntimeException e) {
                skipped.add(name + ": " + e.getMessage());
            }
        }
        return new Sweep(List.copyOf(removed), List.copyOf(skipped));
    }

    private static void deleteStale(TcNetlink netlink, TcFilter f, String where, List<TcFilter> removed) {
        try {
            netlink.deleteFilter(f, where);
            removed.add(f);
        } catch (NetlinkException e) {
            if (e.errno() != Errno.ENOENT) { // another cleaner got there first
                throw e;
            }
        }
    }

    /** The filters on {@code interfaceName}'s {@code direction} hook in the calling thread's namespace. */
    public static List<TcFilter> filters(String interfaceName, TcDirection direction) {
        int ifindex = Interfaces.index(interfaceName);
        try (TcNetlink netlink = TcNetlink.open()) {
            return netlink.filters(ifindex, direction, interfaceName + " " + direction);
        }
    }

    @Override
    public String toString() {
        return "tc filter '" + filter.name() + "' on " + where + " (pref " + filter.priority() + " handle 0x"
                + Integer.toHexString(filter.handle()) + ")";
    }
}
