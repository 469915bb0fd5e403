package io.vnettracer.sinks.pcapng;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vnettracer.event.EventKind;
import io.vnettracer.event.EventLayout;
import io.vnettracer.event.EventView;
import io.vnettracer.event.EventWriter;
import io.vnettracer.event.IdMode;
import io.vnettracer.event.PacketKeyLayout;
import io.vnettracer.journey.ProbeCatalog;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Records of every shape the headers are rebuilt for, read back by tshark (Debian's, from scripts/setup). */
class PcapngTsharkTest {
    @Test
    void tsharkReadsEveryShapeWithoutComplaint(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("shapes.pcapng");
        ProbeCatalog catalog = new ProbeCatalog().probe(0, "tx", "dev:a:egress").dropProbe(1, "drops", "drops:b");
        MemorySegment record = MemorySegment.ofArray(new byte[EventLayout.SIZE]);
        EventWriter w = new EventWriter().wrap(record, 0);
        EventView view = new EventView().wrap(record, 0);
        try (PcapngSink sink = new PcapngSink(file, catalog, 1_700_000_000_000_000_000L)) {
            w.kind(EventKind.PACKET).idMode(IdMode.TAG).probeId(0).timestamp(1_000).tag(0xcafef00dL)
                    .ipv4(0x0a000001, 0x0a000002, PacketKeyLayout.IPPROTO_UDP, 5000, 6000).ipId(7).ipLength(300)
                    .l4Data(0x0102030405060708L);
            sink.onEvent(view);
            w.timestamp(2_000).tag(0).ipv6(0xfd00_0000_0000_0000L, 1, 0xfd00_0000_0000_0000L, 2,
                    PacketKeyLayout.IPPROTO_UDP, 5001, 6001).ipLength(1000);
            sink.onEvent(view);
            w.timestamp(3_000).ipv4(0x0a000001, 0x0a000002, PacketKeyLayout.IPPROTO_TCP, 40000, 8080)
                    .ipLength(1500).tcpFlags(0x18).l4Data(0x0000_1000_0000_2000L);
            sink.onEvent(view);
            w.kind(EventKind.DROP).probeId(1).timestamp(4_000).extra(6)
                    .ipv4(0x0a000001, 0x0a000002, PacketKeyLayout.IPPROTO_ICMP, 0, 0).ipLength(84);
            sink.onEvent(view);
            sink.finish(null);
        }
        List<String> rows = Tshark.fields(file, "frame.comment", "frame.interface_name", "ip.src", "ipv6.dst",
                "udp.dstport", "tcp.dstport", "tcp.flags", "frame.len", "frame.time_epoch", "_ws.malformed");
        assertEquals(List.of(
                "probe=tx ts_ns=1000 kind=packet tag=0xcafef00d\ttx\t10.0.0.1\t\t6000\t\t\t300\t1700000000.000001000\t",
                "probe=tx ts_ns=2000 kind=packet tag=0x00000000\ttx\t\tfd00::2\t6001\t\t\t1000\t1700000000.000002000\t",
                "probe=tx ts_ns=3000 kind=packet tag=0x00000000\ttx\t10.0.0.1\t\t\t8080\t0x0018\t1500\t1700000000.000003000\t",
                "probe=drops ts_ns=4000 kind=drop tag=0x00000000 reason=6\tdrops\t10.0.0.1\t\t\t\t\t84\t1700000000.000004000\t"),
                rows);
        assertEquals("", Tshark.complaints(file), "what tshark found malformed");
    }
}
