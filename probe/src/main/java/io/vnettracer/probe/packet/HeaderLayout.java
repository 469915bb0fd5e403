package io.vnettracer.probe.packet;

/**
 * Header sizes, offsets and type numbers of the protocols the key extractor parses, as the
 * kernel's UAPI headers name them. Multi-byte fields are in network byte order in the packet.
 */
public final class HeaderLayout {
    private HeaderLayout() {}

    /** From include/uapi/linux/if_ether.h (struct ethhdr, ETH_P_*). */
    public static final class Ethernet {
        public static final int ETH_HLEN = 14;
        public static final int TYPE = 12;
        public static final int ETH_P_IP = 0x0800;
        public static final int ETH_P_ARP = 0x0806;
        public static final int ETH_P_8021Q = 0x8100;
        public static final int ETH_P_8021AD = 0x88A8;
        public static final int ETH_P_IPV6 = 0x86DD;

        private Ethernet() {}
    }

    /** From include/linux/if_vlan.h (struct vlan_hdr follows the MAC addresses in place of the type). */
    public static final class Vlan {
        public static final int VLAN_HLEN = 4;
        /** The encapsulated EtherType, after the TPID (at 12) and the TCI (at 14). */
        public static final int INNER_TYPE = 16;

        private Vlan() {}
    }

    /** struct iphdr, include/uapi/linux/ip.h. */
    public static final class Ipv4 {
        public static final int MIN_HLEN = 20;
        /** Version (high nibble) and IHL in 32-bit words (low nibble). */
        public static final int VERSION_IHL = 0;
        public static final int TOT_LEN = 2;
        public static final int ID = 4;
        /** Flags (3 bits) and fragment offset (13 bits). */
        public static final int FRAG_OFF = 6;
        public static final int PROTOCOL = 9;
        public static final int SADDR = 12;
        public static final int DADDR = 16;
        /** IP_OFFSET in include/net/ip.h. */
        public static final int IP_OFFSET_MASK = 0x1FFF;

        private Ipv4() {}
    }

    /** struct ipv6hdr, include/uapi/linux/ipv6.h. */
    public static final class Ipv6 {
        public static final int HLEN = 40;
        public static final int PAYLOAD_LEN = 4;
        public static final int NEXTHDR = 6;
        public static final int SADDR = 8;
        public static final int DADDR = 24;

        private Ipv6() {}
    }

    /** struct tcphdr, include/uapi/linux/tcp.h. */
    public static final class Tcp {
        public static final int MIN_HLEN = 20;
        public static final int SOURCE = 0;
        public static final int DEST = 2;
        public static final int SEQ = 4;
        /** ack_seq follows seq directly: the two are read as one 8-byte field. */
        public static final int ACK_SEQ = 8;
        /** The byte whose high nibble is the data offset: the header's length in 32-bit words. */
        public static final int DATA_OFFSET = 12;
        /** The byte holding CWR ECE URG ACK PSH RST SYN FIN, high bit first. */
        public static final int FLAGS = 13;

        private Tcp() {}
    }

    /** struct udphdr, include/uapi/linux/udp.h. */
    public static final class Udp {
        public static final int HLEN = 8;
        public static final int SOURCE = 0;
        public static final int DEST = 2;
        public static final int LEN = 4;

        private Udp() {}
    }

    /** The value of a 16-bit network-order field as a little-endian load reads it. */
    public static int loadedAsLittleEndian(int networkOrderValue) {
        return Short.reverseBytes((short) networkOrderValue) & 0xFFFF;
    }
}
