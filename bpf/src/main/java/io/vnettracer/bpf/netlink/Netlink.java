package io.vnettracer.bpf.netlink;

/** Layouts and constants of the netlink protocol, from include/uapi/linux/netlink.h. */
public final class Netlink {
    private Netlink() {}

    /** Protocol of a NETLINK_ROUTE socket (rtnetlink). */
    public static final int NETLINK_ROUTE = 0;

    /** struct nlmsghdr: u32 nlmsg_len, u16 nlmsg_type, u16 nlmsg_flags, u32 nlmsg_seq, u32 nlmsg_pid. */
    public static final int NLMSG_HDRLEN = 16;
    static final int NLMSG_LEN_OFFSET = 0;
    static final int NLMSG_TYPE_OFFSET = 4;
    static final int NLMSG_FLAGS_OFFSET = 6;
    static final int NLMSG_SEQ_OFFSET = 8;
    static final int NLMSG_PID_OFFSET = 12;

    /** Message and attribute lengths are padded to multiples of 4 (NLMSG_ALIGNTO, NLA_ALIGNTO). */
    public static final int ALIGNTO = 4;

    // nlmsg_flags for every message.
    public static final int NLM_F_REQUEST = 0x01;
    public static final int NLM_F_MULTI = 0x02;
    public static final int NLM_F_ACK = 0x04;
    public static final int NLM_F_ECHO = 0x08;
    public static final int NLM_F_DUMP_INTR = 0x10;
    // nlmsg_flags of GET requests.
    public static final int NLM_F_ROOT = 0x100;
    public static final int NLM_F_MATCH = 0x200;
    public static final int NLM_F_DUMP = NLM_F_ROOT | NLM_F_MATCH;
    // nlmsg_flags of NEW requests.
    public static final int NLM_F_REPLACE = 0x100;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    // nlmsg_flags of an NLMSG_ERROR acknowledgement.
    public static final int NLM_F_CAPPED = 0x100;
    public static final int NLM_F_ACK_TLVS = 0x200;

    // Message types below NLMSG_MIN_TYPE belong to netlink itself.
    public static final int NLMSG_NOOP = 1;
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;
    public static final int NLMSG_OVERRUN = 4;

    /** struct nlmsgerr: int error, then the request's struct nlmsghdr (and its payload unless capped). */
    static final int NLMSGERR_ERROR_OFFSET = 0;
    static final int NLMSGERR_MSG_OFFSET = 4;
    /** enum nlmsgerr_attrs: the extended acknowledgement's text message. */
    static final int NLMSGERR_ATTR_MSG = 1;

    /** struct nlattr (struct rtattr in rtnetlink.h): u16 nla_len, u16 nla_type. */
    public static final int NLA_HDRLEN = 4;
    public static final int NLA_F_NESTED = 1 << 15;
    public static final int NLA_F_NET_BYTEORDER = 1 << 14;
    public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER) & 0xFFFF;

    /** From include/linux/socket.h: socket option level of netlink. */
    static final int SOL_NETLINK = 270;
    /** Socket options: do not echo the request in error acks; add the kernel's text to them. */
    static final int NETLINK_CAP_ACK = 10;
    static final int NETLINK_EXT_ACK = 11;

    /** Rounds a length up to the netlink alignment (NLMSG_ALIGN / NLA_ALIGN). */
    public static int align(int length) {
        return (length + ALIGNTO - 1) & -ALIGNTO;
    }
}
