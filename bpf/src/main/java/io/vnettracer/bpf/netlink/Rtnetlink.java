package io.vnettracer.bpf.netlink;

/** Message types, layouts and attributes of rtnetlink, from include/uapi/linux/rtnetlink.h. */
public final class Rtnetlink {
    private Rtnetlink() {}

    public static final int RTM_NEWQDISC = 36;
    public static final int RTM_DELQDISC = 37;
    public static final int RTM_GETQDISC = 38;
    public static final int RTM_NEWTFILTER = 44;
    public static final int RTM_DELTFILTER = 45;
    public static final int RTM_GETTFILTER = 46;

    /**
     * struct tcmsg: u8 tcm_family, u8 pad, u16 pad, int tcm_ifindex, u32 tcm_handle, u32 tcm_parent,
     * u32 tcm_info (for filters: priority in the upper 16 bits, protocol in network order in the lower).
     */
    public static final int TCMSG_SIZE = 20;
    public static final int TCM_FAMILY_OFFSET = 0;
    public static final int TCM_IFINDEX_OFFSET = 4;
    public static final int TCM_HANDLE_OFFSET = 8;
    public static final int TCM_PARENT_OFFSET = 12;
    public static final int TCM_INFO_OFFSET = 16;

    // Attributes of qdisc and filter messages (enum TCA_*).
    public static final int TCA_KIND = 1;
    public static final int TCA_OPTIONS = 2;
    public static final int TCA_CHAIN = 11;

    /** From include/linux/socket.h: tcm_family of traffic-control messages. */
    public static final int AF_UNSPEC = 0;

    /** The constant's name for a message type, for error messages; the number if unknown. */
    public static String typeName(int type) {
        return switch (type) {
            case RTM_NEWQDISC -> "RTM_NEWQDISC";
            case RTM_DELQDISC -> "RTM_DELQDISC";
            case RTM_GETQDISC -> "RTM_GETQDISC";
            case RTM_NEWTFILTER -> "RTM_NEWTFILTER";
            case RTM_DELTFILTER -> "RTM_DELTFILTER";
            case RTM_GETTFILTER -> "RTM_GETTFILTER";
            default -> "rtnetlink message type " + type;
        };
    }
}
