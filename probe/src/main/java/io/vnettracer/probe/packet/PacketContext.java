package io.vnettracer.probe.packet;

import io.vnettracer.bpf.prog.ProgramType;
import io.vnettracer.bpf.prog.SkBuffFields;
import io.vnettracer.bpf.prog.XdpMdFields;

/**
 * Where a program finds the packet: the context's data and data_end fields, and what the first
 * byte at data is.
 */
public enum PacketContext {
    /** tc (SCHED_CLS, TCX): struct __sk_buff; data starts at the Ethernet header. */
    TC(ProgramType.SCHED_CLS, SkBuffFields.DATA, SkBuffFields.DATA_END, HeaderLayout.Ethernet.ETH_HLEN),
    /** XDP: struct xdp_md; data starts at the Ethernet header. */
    XDP(ProgramType.XDP, XdpMdFields.DATA, XdpMdFields.DATA_END, HeaderLayout.Ethernet.ETH_HLEN),
    /**
     * cgroup_skb: struct __sk_buff; data starts at the IP header (the socket layer has no link
     * header), so the IP version is read from the first nibble.
     */
    CGROUP_SKB(ProgramType.CGROUP_SKB, SkBuffFields.DATA, SkBuffFields.DATA_END, 0);

    private final ProgramType programType;
    private final int dataField;
    private final int dataEndField;
    private final int linkHeaderLength;

    PacketContext(ProgramType programType, int dataField, int dataEndField, int linkHeaderLength) {
        this.programType = programType;
        this.dataField = dataField;
        this.dataEndField = dataEndField;
        this.linkHeaderLength = linkHeaderLength;
    }

    public ProgramType programType() {
        return programType;
    }

    /** Offset in the context of the u32 that the verifier turns into the packet's start pointer. */
    public int dataField() {
        return dataField;
    }

    /** Offset in the context of the u32 that the verifier turns into the packet's end pointer. */
    public int dataEndField() {
        return dataEndField;
    }

    public boolean hasEthernet() {
        return linkHeaderLength > 0;
    }

    /**
     * Bytes of link header (untagged Ethernet) in front of the IP header: what the filter adds to
     * the IP length to get pcap's {@code len}. 0 where the program sees no link header.
     */
    public int linkHeaderLength() {
        return linkHeaderLength;
    }
}
