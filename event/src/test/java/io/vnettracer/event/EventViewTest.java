package io.vnettracer.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class EventViewTest {
    @Test
    void fieldsReadBackAsWrittenAtTheDocumentedOffsets() {
        MemorySegment seg = MemorySegment.ofArray(new byte[EventLayout.SIZE * 2]);
        new EventWriter().wrap(seg, EventLayout.SIZE)
                .kind(EventKind.DROP).idMode(IdMode.TAG).flags(EventLayout.FLAG_TAG_INSERTED)
                .probeId(7).timestamp(123_456_789_012L).tag(0xdeadbeefL).cpu(1).ifindex(42).skbLength(1514)
                .netnsCookie(4096).extra(77)
                .ipv4(0x0ad50102, 0x0ad50103, PacketKeyLayout.IPPROTO_UDP, 5000, 443)
                .ipId(0xabcd).ipLength(1500).l4Data(0x0102030405060708L);
        EventView v = new EventView().wrap(seg, EventLayout.SIZE);
        assertEquals(EventLayout.CURRENT_VERSION, v.version());
        assertEquals(EventKind.DROP, v.kind());
        assertEquals(IdMode.TAG, v.idMode());
        assertEquals(EventLayout.FLAG_TAG_INSERTED, v.flags());
        assertEquals(7, v.probeId());
        assertEquals(123_456_789_012L, v.timestamp());
        assertEquals(0xdeadbeefL, v.tag());
        assertEquals(42, v.ifindex());
        assertEquals(1514, v.skbLength());
        assertEquals(4096, v.netnsCookie());
        assertEquals(77, v.extra());
        assertEquals(4, v.family());
        assertEquals(17, v.protocol());
        assertEquals(5000, v.srcPort());
        assertEquals(443, v.dstPort());
        assertEquals(0x0ad50102, v.srcIpv4());
        assertEquals(0x0ad50103, v.dstIpv4());
        assertEquals(0xabcd, v.ipId());
        assertEquals(1500, v.ipLength());
        assertEquals(0x0102030405060708L, v.l4Data());
        // Wire order where the layout says so: the port 5000 = 0x1388 is stored 13 88.
        assertEquals(0x13, seg.get(java.lang.foreign.ValueLayout.JAVA_BYTE, EventLayout.SIZE + EventLayout.KEY + PacketKeyLayout.SRC_PORT));
    }

    @Test
    void theFingerprintIgnoresTheIpLengthButNotTheIpId() {
        MemorySegment seg = MemorySegment.ofArray(new byte[EventLayout.SIZE]);
        EventWriter w = new EventWriter();
        EventView v = new EventView().wrap(seg, 0);
        w.wrap(seg, 0).ipv4(1, 2, 17, 3, 4).ipId(9).ipLength(100).l4Data(5);
        long a = v.fingerprint();
        w.ipLength(108);
        assertEquals(a, v.fingerprint(), "a tag trailer grows the IP length; the identity stays");
        w.ipId(10);
        assertNotEquals(a, v.fingerprint());
    }
}
