package io.vnettracer.bpf.link.tc;

import static io.vnettracer.bpf.netlink.Rtnetlink.AF_UNSPEC;
import static io.vnettracer.bpf.netlink.Rtnetlink.TCA_CHAIN;
import static io.vnettracer.bpf.netlink.Rtnetlink.TCA_KIND;
import static io.vnettracer.bpf.netlink.Rtnetlink.TCA_OPTIONS;
import static io.vnettracer.bpf.netlink.Rtnetlink.TCMSG_SIZE;
import static io.vnettracer.bpf.netlink.Rtnetlink.TCM_FAMILY_OFFSET;
import static io.vnettracer.bpf.netlink.Rtnetlink.TCM_HANDLE_OFFSET;
import static io.vnettracer.bpf.netlink.Rtnetlink.TCM_IFINDEX_OFFSET;
import static io.vnettracer.bpf.netlink.Rtnetlink.TCM_INFO_OFFSET;
import static io.vnettracer.bpf.netlink.Rtnetlink.TCM_PARENT_OFFSET;

import io.vnettracer.bpf.netlink.Attributes;
import io.vnettracer.bpf.netlink.MessageBuilder;
import io.vnettracer.bpf.netlink.Netlink;
import io.vnettracer.bpf.netlink.NetlinkException;
import io.vnettracer.bpf.netlink.NetlinkMessage;
import io.vnettracer.bpf.netlink.NetlinkSocket;
import io.vnettracer.bpf.netlink.Rtnetlink;
import io.vnettracer.bpf.sys.Errno;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The rtnetlink requests of the legacy tc path (what tc(8) sends for "qdisc add clsact", "filter
 * add ... bpf da", "filter del" and "filter show"), on one socket in one network namespace.
 */
final class TcNetlink implements AutoCloseable {
    private static final String CLSACT = "clsact";
    private static final String BPF = "bpf";

    private final NetlinkSocket socket;

    private TcNetlink(NetlinkSocket socket) {
        this.socket = socket;
    }

    /** Opens a route socket in the calling thread's network namespace. */
    static TcNetlink open() {
        return new TcNetlink(NetlinkSocket.open(Netlink.NETLINK_ROUTE));
    }

    /** Adds a clsact qdisc; returns false if the interface already had one. */
    boolean addClsact(int ifindex, String where) {
        MessageBuilder m = socket.request(Rtnetlink.RTM_NEWQDISC, Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL);
        tcmsg(m, ifindex, PktSched.CLSACT_HANDLE, PktSched.TC_H_CLSACT, 0);
        m.attribute(TCA_KIND, CLSACT);
        try {
            socket.execute("adding a clsact qdisc to " + where);
            return true;
        } catch (NetlinkException e) {
            if (e.errno() == Errno.EEXIST) {
                return false;
            }
            throw e;
        }
    }

    void deleteClsact(int ifindex, String where) {
        MessageBuilder m = socket.request(Rtnetlink.RTM_DELQDISC, 0);
        tcmsg(m, ifindex, PktSched.CLSACT_HANDLE, PktSched.TC_H_CLSACT, 0);
        m.attribute(TCA_KIND, CLSACT); // the kernel refuses if the qdisc there is of another kind
        socket.execute("removing the clsact qdisc of " + where);
    }

    /**
     * Adds a direct-action cls_bpf filter running {@code programFd}; returns it as the kernel
     * echoed it back, with the handle (and priority, when 0 asked the kernel to choose) it chose.
     */
    TcFilter addFilter(int ifindex, TcDirection direction, int priority, int programFd, String name, String where) {
        MessageBuilder m = socket.request(Rtnetlink.RTM_NEWTFILTER,
                Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL | Netlink.NLM_F_ECHO);
        tcmsg(m, ifindex, 0, direction.parent(), filterInfo(priority, PktCls.ETH_P_ALL));
        m.attribute(TCA_KIND, BPF);
        int options = m.beginNested(TCA_OPTIONS);
        m.attribute(PktCls.TCA_BPF_FD, programFd);
        m.attribute(PktCls.TCA_BPF_NAME, name);
        m.attribute(PktCls.TCA_BPF_FLAGS, PktCls.TCA_BPF_FLAG_ACT_DIRECT);
        m.endNested(options);
        List<TcFilter> echoed = new ArrayList<>(1);
        socket.execute("adding tc filter '" + name + "' on " + where, reply -> {
            if (reply.type() == Rtnetlink.RTM_NEWTFILTER) {
                echoed.add(parseFilter(reply));
            }
        });
        if (echoed.isEmpty()) {
            throw new IllegalStateException("the kernel added tc filter '" + name + "' on " + where
                    + " but did not echo it back, so it cannot be removed by handle; remove it with 'tc filter del dev "
                    + where + "'");
        }
        return echoed.getFirst();
    }

    /** Deletes exactly one filter: by priority, protocol and handle (a zero handle would delete them all). */
    void deleteFilter(TcFilter f, String where) {
        if (f.handle() == 0 || f.priority() == 0) {
            throw new IllegalArgumentException("refusing to delete by a zero handle or priority: " + f);
        }
        MessageBuilder m = socket.request(Rtnetlink.RTM_DELTFILTER, 0);
        tcmsg(m, f.ifindex(), f.handle(), f.direction().parent(), filterInfo(f.priority(), f.protocol()));
        m.attribute(TCA_KIND, f.kind());
        m.attribute(TCA_CHAIN, f.chain());
        socket.execute("removing tc filter '" + f.name() + "' from " + where);
    }

    /** The filters of one clsact hook; the interface must have a clsact qdisc. */
    List<TcFilter> filters(int ifindex, TcDirection direction, String where) {
        List<TcFilter> found = new ArrayList<>();
        MessageBuilder m = socket.request(Rtnetlink.RTM_GETTFILTER, 0);
        tcmsg(m, ifindex, 0, direction.parent(), 0);
        socket.dump("listing tc filters of " + where, reply -> {
            // Each priority is reported once by itself (handle 0) before its filters.
            if (reply.type() == Rtnetlink.RTM_NEWTFILTER && reply.u32(TCM_HANDLE_OFFSET) != 0) {
                found.add(parseFilter(reply));
            }
        });
        return found;
    }

    /** The indexes of the interfaces that have a clsact qdisc, in this socket's namespace. */
    Set<Integer> clsactInterfaces() {
        Set<Integer> found = new LinkedHashSet<>();
        MessageBuilder m = socket.request(Rtnetlink.RTM_GETQDISC, 0);
        tcmsg(m, 0, 0, 0, 0);
        socket.dump("listing qdiscs", reply -> {
            if (reply.type() == Rtnetlink.RTM_NEWQDISC && CLSACT.equals(reply.attributes(TCMSG_SIZE).string(TCA_KIND))) {
                found.add(reply.u32(TCM_IFINDEX_OFFSET));
            }
        });
        return found;
    }

    private static TcFilter parseFilter(NetlinkMessage reply) {
        int info = reply.u32(TCM_INFO_OFFSET);
        Attributes attrs = reply.attributes(TCMSG_SIZE);
        Attributes options = attrs.nested(TCA_OPTIONS);
        return new TcFilter(reply.u32(TCM_IFINDEX_OFFSET), TcDirection.ofParent(reply.u32(TCM_PARENT_OFFSET)),
                info >>> 16, networkToHost16(info & 0xFFFF), reply.u32(TCM_HANDLE_OFFSET), attrs.u32(TCA_CHAIN, 0),
                attrs.string(TCA_KIND), options.string(PktCls.TCA_BPF_NAME), options.u32(PktCls.TCA_BPF_ID, 0));
    }

    private static void tcmsg(MessageBuilder m, int ifindex, int handle, int parent, int info) {
        int at = m.reserve(TCMSG_SIZE);
        m.putByte(at + TCM_FAMILY_OFFSET, AF_UNSPEC)
                .putInt(at + TCM_IFINDEX_OFFSET, ifindex)
                .putInt(at + TCM_HANDLE_OFFSET, handle)
                .putInt(at + TCM_PARENT_OFFSET, parent)
                .putInt(at + TCM_INFO_OFFSET, info);
    }

    /** tcm_info of a filter: TC_H_MAKE(priority << 16, htons(protocol)). */
    static int filterInfo(int priority, int protocol) {
        return PktSched.makeHandle(priority << 16, networkToHost16(protocol));
    }

    /** htons/ntohs: a 16-bit value's bytes swapped on little-endian hosts (the two are the same operation). */
    static int networkToHost16(int value) {
        return ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
                ? Short.toUnsignedInt(Short.reverseBytes((short) value))
                : value & 0xFFFF;
    }

    @Override
    public void close() {
        socket.close();
    }
}
