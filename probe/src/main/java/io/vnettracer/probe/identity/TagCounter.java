package io.vnettracer.probe.identity;

import io.vnettracer.bpf.map.MapSpec;
import java.util.Locale;

/**
 * Why a packet went untagged (or a tag could not be removed): the index of its counter in the
 * per-CPU array of u64 that the tag generators increment.
 */
public enum TagCounter {
    /** A GSO skb: the trailer would land after the last segment only. */
    GSO,
    /** An IP fragment: the UDP length describes the whole datagram, not this piece. */
    FRAGMENT,
    /** Eight more bytes would exceed the interface MTU. */
    OVER_MTU,
    /** Not an IPv4 or IPv6 UDP packet in an untagged Ethernet frame, or a malformed one. */
    NOT_UDP,
    /** The packet already carries bytes beyond the UDP datagram (a tag, padding, anything). */
    ALREADY_LONGER,
    /** bpf_skb_change_tail refused to grow the packet (e.g. an encapsulated skb). */
    GROW_FAILED,
    /** Writing the trailer or the new IP length failed after growing; the growth was undone. */
    WRITE_FAILED,
    /** A tag was found but could not be taken off (the packet keeps it; a receiving kernel trims it). */
    STRIP_FAILED,
    /** (TCP) bpf_reserve_hdr_opt found no room for the option among the segment's others. */
    OPTION_NO_ROOM,
    /** (TCP) bpf_store_hdr_opt refused the option. */
    OPTION_WRITE_FAILED;

    /** The counter's name in summaries, e.g. {@code over-mtu}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The map the generators count into: one u64 per reason, per CPU. */
    public static MapSpec mapSpec(String name) {
        return MapSpec.perCpuArray(name, 8, values().length);
    }
}
