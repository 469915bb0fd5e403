package io.vnettracer.probe.codegen;

import static io.vnettracer.bpf.asm.Reg.*;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.bpf.asm.Helper;
import io.vnettracer.bpf.btf.Btf;
import io.vnettracer.event.PacketKeyLayout;

/**
 * Fills the {@link Frame} from a {@code struct sk_buff *} held in a register, for probes at
 * tracepoints (tp_btf), where the packet is not directly addressable: scalar fields are read
 * through the BTF pointer (offsets from the running kernel's BTF), header bytes are copied to the
 * stack with bpf_probe_read_kernel from {@code skb->head + skb->network_header}.
 *
 * <p>Register contract: the skb pointer stays in its register (R9 by convention: it survives helper
 * calls and the emitter); clobbers R0-R5 and R8.
 */
public final class SkbReader {
    /** skb->network_header when no network header is set ((u16)~0U, include/linux/skbuff.h). */
    private static final int NO_HEADER = 0xffff;
    private static final int IPV6_HEADER = 40;
    private static final int L4_BYTES = 16;

    private final int skbLen;
    private final int skbDev;
    private final int skbSk;
    private final int skbHead;
    private final int skbNetworkHeader;
    private final int devIfindex;
    private final int devNet;
    private final int sockNet;
    private final int netCookie;
    private final int taskNsproxy;
    private final int nsproxyNet;

    public SkbReader(Btf btf) {
        this.skbLen = offset(btf, "sk_buff", "len");
        this.skbDev = offset(btf, "sk_buff", "dev");
        this.skbSk = offset(btf, "sk_buff", "sk");
        this.skbHead = offset(btf, "sk_buff", "head");
        this.skbNetworkHeader = offset(btf, "sk_buff", "network_header");
        this.devIfindex = offset(btf, "net_device", "ifindex");
        this.devNet = offset(btf, "net_device", "nd_net.net");
        this.sockNet = offset(btf, "sock", "__sk_common.skc_net.net");
        this.netCookie = offset(btf, "net", "net_cookie");
        this.taskNsproxy = offset(btf, "task_struct", "nsproxy");
        this.nsproxyNet = offset(btf, "nsproxy", "net_ns");
    }

    private static int offset(Btf btf, String struct, String path) {
        return (int) btf.member(struct, path).byteOffset();
    }

    /** Loads argument {@code index} of a tp_btf context (an array of u64) into {@code dst}. */
    public static void loadArgument(Assembler a, io.vnettracer.bpf.asm.Reg dst, int index) {
        a.ldx(8, dst, R1, 8 * index);
    }

    /** skb->len, the device's ifindex and its namespace's cookie into their frame slots. */
    public void readMetadata(Assembler a) {
        String prefix = "meta" + a.position() + "_";
        a.ldx(4, R1, R9, skbLen)
                .stx(8, R10, Frame.SKB_LENGTH, R1)
                .ldx(8, R1, R9, skbDev)
                .jeq(R1, 0, prefix + "nodev")
                .ldx(4, R2, R1, devIfindex)
                .stx(8, R10, Frame.IFINDEX, R2)
                .ldx(8, R2, R1, devNet)
                .ja(prefix + "net")
                .label(prefix + "nodev")
                // No device (socket layer): the namespace of the owning socket.
                .ldx(8, R1, R9, skbSk)
                .jeq(R1, 0, prefix + "done")
                .ldx(8, R2, R1, sockNet)
                .label(prefix + "net")
                .jeq(R2, 0, prefix + "done")
                .ldx(8, R3, R2, netCookie)
                .stx(8, R10, Frame.NETNS_COOKIE, R3)
                .label(prefix + "done");
    }

    /**
     * The namespace cookie of the current task into the frame, replacing the packet's: at the socket
     * layer the packet may have lost its device, and the reader is the process whose namespace counts.
     */
    public void readTaskNamespace(Assembler a) {
        String done = "task" + a.position() + "_done";
        a.call(Helper.GET_CURRENT_TASK_BTF)
                .ldx(8, R1, R0, taskNsproxy)
                .jeq(R1, 0, done)
                .ldx(8, R2, R1, nsproxyNet)
                .jeq(R2, 0, done)
                .ldx(8, R3, R2, netCookie)
                .stx(8, R10, Frame.NETNS_COOKIE, R3)
                .label(done);
    }

    /**
     * The packet key from the IP header on: IPv4 (options skipped) or IPv6 (fixed header), ports
     * and L4 data of TCP and UDP. Leaves the key zero where the packet has no network header.
     */
    public void readKey(Assembler a) {
        String p = "key" + a.position() + "_";
        a.ldx(8, R8, R9, skbHead)
                .ldx(2, R1, R9, skbNetworkHeader)
                .jeq(R1, NO_HEADER, p + "done")
                .add64(R8, R1);
        copy(a, Frame.IP_SCRATCH, IPV6_HEADER, R8);
        a.jne(R0, 0, p + "done")
                .ldx(1, R1, R10, Frame.IP_SCRATCH)
                .rsh64(R1, 4)
                .jeq(R1, 4, p + "v4")
                .jeq(R1, 6, p + "v6")
                .ja(p + "done");
        ipv4(a, p);
        ipv6(a, p);
        ports(a, p);
        a.label(p + "done");
    }

    private static void ipv4(Assembler a, String p) {
        int ip = Frame.IP_SCRATCH;
        int key = Frame.KEY;
        a.label(p + "v4")
                .st(1, R10, key + PacketKeyLayout.FAMILY, PacketKeyLayout.FAMILY_IPV4)
                .ldx(4, R1, R10, ip + 12).stx(4, R10, key + PacketKeyLayout.SRC_ADDR, R1)
                .ldx(4, R1, R10, ip + 16).stx(4, R10, key + PacketKeyLayout.DST_ADDR, R1)
                .ldx(1, R1, R10, ip + 9).stx(1, R10, key + PacketKeyLayout.PROTOCOL, R1)
                .ldx(2, R1, R10, ip + 4).stx(2, R10, key + PacketKeyLayout.IP_ID, R1)
                .ldx(2, R1, R10, ip + 2).toBigEndian(R1, 16).stx(4, R10, key + PacketKeyLayout.IP_LENGTH, R1)
                // L4 starts IHL * 4 bytes after the IP header.
                .ldx(1, R1, R10, ip)
                .and64(R1, 0x0f)
                .lsh64(R1, 2)
                .add64(R8, R1)
                .ja(p + "l4");
    }

    private static void ipv6(Assembler a, String p) {
        int ip = Frame.IP_SCRATCH;
        int key = Frame.KEY;
        a.label(p + "v6")
                .st(1, R10, key + PacketKeyLayout.FAMILY, PacketKeyLayout.FAMILY_IPV6);
        for (int i = 0; i < 16; i += 8) {
            a.ldx(8, R1, R10, ip + 8 + i).stx(8, R10, key + PacketKeyLayout.SRC_ADDR + i, R1)
                    .ldx(8, R1, R10, ip + 24 + i).stx(8, R10, key + PacketKeyLayout.DST_ADDR + i, R1);
        }
        a.ldx(1, R1, R10, ip + 6).stx(1, R10, key + PacketKeyLayout.PROTOCOL, R1)
                .ldx(2, R1, R10, ip + 4).toBigEndian(R1, 16).add64(R1, IPV6_HEADER)
                .stx(4, R10, key + PacketKeyLayout.IP_LENGTH, R1)
                .add64(R8, IPV6_HEADER);
    }

    private static void ports(Assembler a, String p) {
        int l4 = Frame.L4_SCRATCH;
        int key = Frame.KEY;
        a.label(p + "l4")
                .ldx(1, R1, R10, key + PacketKeyLayout.PROTOCOL)
                .jeq(R1, PacketKeyLayout.IPPROTO_TCP, p + "ports")
                .jne(R1, PacketKeyLayout.IPPROTO_UDP, p + "done")
                .label(p + "ports");
        copy(a, l4, L4_BYTES, R8);
        a.jne(R0, 0, p + "done")
                .ldx(2, R1, R10, l4).stx(2, R10, key + PacketKeyLayout.SRC_PORT, R1)
                .ldx(2, R1, R10, l4 + 2).stx(2, R10, key + PacketKeyLayout.DST_PORT, R1)
                .ldx(1, R1, R10, key + PacketKeyLayout.PROTOCOL)
                .jeq(R1, PacketKeyLayout.IPPROTO_UDP, p + "udp")
                // TCP: sequence and acknowledgement numbers, and the flags byte.
                .ldx(4, R1, R10, l4 + 4).stx(4, R10, key + PacketKeyLayout.L4_DATA, R1)
                .ldx(4, R1, R10, l4 + 8).stx(4, R10, key + PacketKeyLayout.L4_DATA + 4, R1)
                .ldx(1, R1, R10, l4 + 13).stx(1, R10, key + PacketKeyLayout.TCP_FLAGS, R1)
                .ja(p + "done")
                .label(p + "udp")
                // UDP: the first 8 payload bytes. A shorter datagram leaves whatever followed it in
                // the buffer, so clear what lies beyond the UDP length.
                .ldx(8, R1, R10, l4 + 8)
                .ldx(2, R2, R10, l4 + 4).toBigEndian(R2, 16)
                .jge(R2, 16, p + "udpstore")
                .jle(R2, 8, p + "udpzero")
                // keep (len - 8) bytes: mask = (1 << 8 * (len - 8)) - 1 on a little-endian load
                .sub64(R2, 8).lsh64(R2, 3)
                .mov64(R3, 1).lsh64(R3, R2).sub64(R3, 1)
                .and64(R1, R3)
                .ja(p + "udpstore")
                .label(p + "udpzero")
                .mov64(R1, 0)
                .label(p + "udpstore")
                .stx(8, R10, key + PacketKeyLayout.L4_DATA, R1);
    }

    /** bpf_probe_read_kernel(R10 + frameOffset, size, from); R0 = 0 on success. */
    private static void copy(Assembler a, int frameOffset, int size, io.vnettracer.bpf.asm.Reg from) {
        a.mov64(R1, R10)
                .add64(R1, frameOffset)
                .mov64(R2, size)
                .mov64(R3, from)
                .call(Helper.PROBE_READ_KERNEL);
    }
}
