package io.vnettracer.probe.filter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.probe.packet.PacketContext;
import io.vnettracer.probe.program.KeyFilter;
import org.junit.jupiter.api.Test;

/**
 * A primitive a probe's hook cannot evaluate is refused when the probe's code is built, with the
 * column and the reason, not compiled into a test that silently never matches.
 */
class FilterHookTest {
    private static FilterException refusedAt(PacketContext context, String expression) {
        Filter f = Filter.parse(expression);
        FilterException e = assertThrows(FilterException.class,
                () -> f.emit(new Assembler(), new FilterCompiler(context, "filter"), "match", "nomatch"));
        assertEquals(FilterException.Pass.HOOK, e.pass(), e.getMessage());
        return e;
    }

    @Test
    void linkLayerPrimitivesAreRefusedWherePacketsStartAtIp() {
        FilterException vlan = refusedAt(PacketContext.CGROUP_SKB, "udp and vlan 100");
        assertEquals(14, vlan.column());
        assertEquals("filter error at column 14: 'vlan 100' reads the Ethernet header, and this probe's packets start at the IP"
                + " header (a socket-level, cgroup_skb hook has no link layer): use it on a device probe (tc), or filter on"
                + " IP fields here", vlan.getMessage());
        assertEquals(12, refusedAt(PacketContext.CGROUP_SKB, "ether host 02:00:00:00:00:01").column());
        assertEquals(5, refusedAt(PacketContext.CGROUP_SKB, "not arp").column());
        assertEquals(17, refusedAt(PacketContext.CGROUP_SKB, "ip[0] = 0x45 or ether[0] & 1 != 0").column());
        assertTrue(refusedAt(PacketContext.CGROUP_SKB, "ether broadcast").getMessage().contains("'ether[...]'"));
    }

    @Test
    void ipPrimitivesCompileWherePacketsStartAtIp() {
        for (String expression : new String[] {"tcp[tcpflags] & tcp-syn != 0", "host 10.0.0.1 and port 53", "ip6 and len > 100"}) {
            Filter.parse(expression).emit(new Assembler(), new FilterCompiler(PacketContext.CGROUP_SKB, "filter"), "m", "n");
        }
        Filter.parse("vlan and ether[0] = 1").emit(new Assembler(), new FilterCompiler(PacketContext.TC, "filter"), "m", "n");
    }

    /** What a socket or tracepoint probe's builder does with its filter: the key-only code, refusing what the key lacks. */
    @Test
    void aProbeThatReadsOnlyTheKeyRefusesWhatTheKeyDoesNotHold() {
        KeyFilter bytes = KeyFilter.of("udp and udp[8:4] = 1");
        FilterException e = assertThrows(FilterException.class, () -> bytes.emit(new Assembler(), -64, 0, "out"));
        assertEquals(FilterException.Pass.HOOK, e.pass());
        assertEquals(9, e.column());
        assertEquals("filter error at column 9: 'udp[8:4] = 1' needs the packet's bytes, and this probe's filter sees only"
                + " the key its program extracted (addresses, ports, protocol, IP length): use it on a device probe (tc),"
                + " or filter on those fields here", e.getMessage());
        assertThrows(FilterException.class, () -> KeyFilter.of("vlan").emit(new Assembler(), -64, 0, "out"));
        KeyFilter.of("port 53 or 54 and len > 100 and ip6 proto 17").emit(new Assembler(), -64, 0, "out");
        KeyFilter.of("vlan and udp[8:4] = 1").emit(new Assembler(), -64, 14, "out");
    }
}
