package io.vnettracer.bpf.netlink;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.vnettracer.bpf.sys.BpfException;
import io.vnettracer.bpf.sys.Errno;
import io.vnettracer.bpf.sys.Fd;
import io.vnettracer.bpf.sys.LibC;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;

/**
 * A netlink socket to the kernel that runs one request at a time: send, then read until the
 * acknowledgement (or the end of a dump), handing every reply to the caller. Error acknowledgements
 * become {@link NetlinkException}s with the kernel's extended-ack text.
 *
 * <p>The socket belongs to the network namespace of the thread that opened it; requests on it act
 * there, whichever thread sends them later. Methods are synchronized: one request at a time.
 */
public final class NetlinkSocket implements AutoCloseable {
    private static final int SEND_BUFFER = 8 * 1024;
    /** The kernel sizes dump batches to at most 32 KiB per datagram; twice that never truncates. */
    private static final int RECEIVE_BUFFER = 64 * 1024;
    /** A request the kernel does not answer in this time is reported instead of waiting forever. */
    private static final int RECEIVE_TIMEOUT_SECONDS = 5;
    /** From include/uapi/asm-generic/socket.h: SOL_SOCKET level and SO_RCVTIMEO (struct timeval). */
    private static final int SOL_SOCKET = 1;
    private static final int SO_RCVTIMEO = 20;

    private final Fd fd;
    private final Arena arena;
    private final MessageBuilder builder;
    private final MemorySegment receive;
    private final NetlinkMessage view = new NetlinkMessage();
    private int seq;

    private NetlinkSocket(Fd fd, Arena arena) {
        this.fd = fd;
        this.arena = arena;
        this.builder = new MessageBuilder(arena.allocate(SEND_BUFFER, 8));
        this.receive = arena.allocate(RECEIVE_BUFFER, 8);
        // Start from a value unlikely to match replies to an earlier socket that reused this port id.
        this.seq = (int) (System.nanoTime() & 0x3fff_ffff);
    }

    /** Opens a socket of {@code protocol} (e.g. {@link Netlink#NETLINK_ROUTE}) in the calling thread's namespace. */
    public static NetlinkSocket open(int protocol) {
        Fd fd = new Fd(LibC.socket(LibC.AF_NETLINK, LibC.SOCK_RAW, protocol, "opening a netlink socket"));
        Arena arena = Arena.ofShared();
        try {
            MemorySegment one = arena.allocate(JAVA_INT);
            one.set(JAVA_INT, 0, 1);
            LibC.setsockopt(fd.get(), Netlink.SOL_NETLINK, Netlink.NETLINK_CAP_ACK, one, "asking for short netlink error acks");
            try {
                LibC.setsockopt(fd.get(), Netlink.SOL_NETLINK, Netlink.NETLINK_EXT_ACK, one, "asking for extended netlink acks");
            } catch (BpfException e) {
                // Kernels before 4.12 have no extended acks; errors then come without the kernel's text.
            }
            MemorySegment timeout = arena.allocate(16, 8);
            timeout.set(JAVA_LONG, 0, RECEIVE_TIMEOUT_SECONDS);
            LibC.setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, timeout, "setting a receive timeout on a netlink socket");
            return new NetlinkSocket(fd, arena);
        } catch (RuntimeException e) {
            fd.close();
            arena.close();
            throw e;
        }
    }

    /** Starts a request; fill it through the returned builder, then pass it to {@link #execute} or {@link #dump}. */
    public synchronized MessageBuilder request(int type, int flags) {
        return builder.begin(type, flags | Netlink.NLM_F_REQUEST);
    }

    /**
     * Sends the request built with {@link #request} asking for an acknowledgement, hands every
     * reply before it (e.g. the echo of NLM_F_ECHO) to {@code replies}, and returns on success.
     *
     * @throws NetlinkException if the kernel refused the request
     */
    public synchronized void execute(String context, Consumer<NetlinkMessage> replies) {
        builder.addFlags(Netlink.NLM_F_ACK);
        transact(Rtnetlink.typeName(builder.type()), context, replies, false);
    }

    /** {@link #execute(String, Consumer)} for requests whose only answer is the acknowledgement. */
    public void execute(String context) {
        execute(context, m -> {});
    }

    /** Sends the request built with {@link #request} as a dump and hands each message of the dump to {@code replies}. */
    public synchronized void dump(String context, Consumer<NetlinkMessage> replies) {
        builder.addFlags(Netlink.NLM_F_DUMP);
        transact(Rtnetlink.typeName(builder.type()), context, replies, true);
    }

    private void transact(String command, String context, Consumer<NetlinkMessage> replies, boolean isDump) {
        int mySeq = ++seq;
        int length = builder.finish(mySeq);
        LibC.send(fd.get(), builder.message(), length, context);
        while (true) {
            long received;
            try {
                received = LibC.recv(fd.get(), receive, context);
            } catch (BpfException e) {
                if (e.errno() == Errno.EAGAIN) {
                    throw new NetlinkException(command, Errno.EAGAIN, context,
                            "no answer within " + RECEIVE_TIMEOUT_SECONDS + " s");
                }
                throw e;
            }
            int at = 0;
            while (at + Netlink.NLMSG_HDRLEN <= received) {
                int msgLength = receive.get(JAVA_INT, at + Netlink.NLMSG_LEN_OFFSET);
                if (msgLength < Netlink.NLMSG_HDRLEN || at + msgLength > received) {
                    throw new IllegalStateException(context + ": malformed netlink message of length " + msgLength);
                }
                NetlinkMessage m = view.position(receive, at, msgLength);
                at += Netlink.align(msgLength);
                if (m.seq() != mySeq) {
                    continue; // a late answer to an earlier request
                }
                switch (m.type()) {
                    case Netlink.NLMSG_NOOP -> { }
                    case Netlink.NLMSG_ERROR -> {
                        int error = m.u32(Netlink.NLMSGERR_ERROR_OFFSET);
                        if (error == 0 && !isDump) {
                            return;
                        }
                        if (error != 0) {
                            throw new NetlinkException(command, -error, context, extendedAckMessage(m));
                        }
                    }
                    case Netlink.NLMSG_DONE -> {
                        int error = m.payloadLength() >= Integer.BYTES ? m.u32(0) : 0;
                        if (error < 0) {
                            throw new NetlinkException(command, -error, context, extendedAckMessage(m));
                        }
                        if (isDump) {
                            return;
                        }
                    }
                    case Netlink.NLMSG_OVERRUN -> throw new IllegalStateException(context + ": netlink reported lost messages");
                    default -> replies.accept(m);
                }
            }
        }
    }

    /** The NLMSGERR_ATTR_MSG text of an error or done message carrying NLM_F_ACK_TLVS, or null. */
    private static String extendedAckMessage(NetlinkMessage m) {
        if ((m.flags() & Netlink.NLM_F_ACK_TLVS) == 0) {
            return null;
        }
        int fixed;
        if (m.type() == Netlink.NLMSG_DONE) {
            fixed = Integer.BYTES;
        } else {
            int requestLength = m.u32(Netlink.NLMSGERR_MSG_OFFSET + Netlink.NLMSG_LEN_OFFSET);
            boolean capped = (m.flags() & Netlink.NLM_F_CAPPED) != 0;
            fixed = Netlink.NLMSGERR_MSG_OFFSET + (capped ? Netlink.NLMSG_HDRLEN : Netlink.align(requestLength));
        }
        if (fixed > m.payloadLength()) {
            return null;
        }
        return m.attributes(fixed).string(Netlink.NLMSGERR_ATTR_MSG);
    }

    @Override
    public synchronized void close() {
        if (fd.isOpen()) {
            fd.close();
            arena.close();
        }
    }
}
