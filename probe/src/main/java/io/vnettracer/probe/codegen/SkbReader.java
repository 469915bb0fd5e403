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
    private final int skbLen;
    private final int skbDev;
    private final int skbSk;
    private final int skbHead;
    private final int skbNetworkHeader;
    private final int devIfindex;
    private final int devNet;
    private final int sockNet;
    private final int netCookie;
    private final HeaderParser parser;

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
        this.parser = new HeaderParser(new ProbeReadSource(skbHead, skbNetworkHeader));
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
     * The packet key from the IP header on: IPv4 (options skipped) or IPv6 (fixed header), ports
     * and L4 data of TCP and UDP. Leaves the key zero where the packet has no network header.
     */
    public void readKey(Assembler a) {
        parser.parse(a);
    }

}
