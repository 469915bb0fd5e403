package io.vnettracer.probe.filter;

import static io.vnettracer.probe.testing.Packets.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.btf.Btf;
import io.vnettracer.bpf.prog.Program;
import io.vnettracer.bpf.ringbuf.RingBufferReader;
import io.vnettracer.bpf.sys.NetnsCookie;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.event.EventView;
import io.vnettracer.probe.program.KeyFilter;
import io.vnettracer.probe.program.ProbeMaps;
import io.vnettracer.probe.program.ProbeProgram;
import io.vnettracer.probe.program.ProbeProgramBuilder;
import io.vnettracer.probe.program.ProbeScope;
import io.vnettracer.probe.program.TagRole;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.probe.spec.ProbeSpecParser;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The filter inside the programs the probe builder makes, as a trace loads them: a device probe's
 * filter reads the packet (after a tag was read or stripped from it), and passes the kernel's
 * verifier with the rest of the probe; a socket probe refuses what its key cannot answer.
 */
class FilteredProbeProgramTest {
    private static final int PROBE = 3;
    /** The SYN test comes first: as in pcap, 'vlan' shifts what follows it to a tagged packet's offsets. */
    private static final String FILTER = "(tcp[tcpflags] & tcp-syn != 0 and len > 50) or (vlan 100 and udp port 9)";
    private static final byte[] TAGGED_UDP = ethernetVlan(100, ETH_P_IP, ipv4("10.9.8.7", "10.6.5.4", 17, udp(7, 9, new byte[16])));
    private static final byte[] SYN = frame(ipv4("10.0.0.1", "10.0.0.2", 6, tcp(40000, 80, 1, 0, 0x02, new byte[0])));
    private static final byte[] PLAIN_UDP = frame(ipv4("10.9.8.7", "10.6.5.4", 17, udp(7, 9, new byte[16])));

    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void aDeviceProbeRecordsWhatItsFilterMatchesInEveryTagRole() {
        for (TagRole role : new TagRole[] {TagRole.NONE, TagRole.READ, TagRole.STRIP}) {
            try (ProbeMaps maps = new ProbeMaps(1 << 16)) {
                ProbeDefinition def = ProbeDefinition.recording("dev_in", ProbeSpecParser.parse("dev:lo:ingress"));
                List<ProbeProgram> parts = new ProbeProgramBuilder(Btf.kernel(), maps).build(PROBE, def, KeyFilter.of(FILTER),
                        new ProbeScope(NetnsCookie.current(), 0, 1500), role);
                maps.configure(PROBE, true, 1);
                try (Program p = Program.load(parts.get(0).spec());
                     RingBufferReader ring = new RingBufferReader(maps.ring())) {
                    assertEquals(1, recordsAfter(p, ring, TAGGED_UDP), role + ": the tagged datagram\n" + p.listing());
                    assertEquals(1, recordsAfter(p, ring, SYN), role + ": the SYN");
                    assertEquals(0, recordsAfter(p, ring, PLAIN_UDP), role + ": the untagged datagram");
                }
            }
        }
    }

    private static int recordsAfter(Program p, RingBufferReader ring, byte[] packet) {
        p.testRun(packet, 1);
        int[] records = {0};
        ring.drain((buffer, offset, length) -> {
            if (new EventView().wrap(buffer, offset).probeId() == PROBE) {
                records[0]++;
            }
        });
        return records[0];
    }

    @Test
    void aSocketProbeRefusesWhatItsKeyCannotAnswerAndBuildsWhatItCan() {
        try (ProbeMaps maps = new ProbeMaps(1 << 16)) {
            ProbeDefinition def = ProbeDefinition.recording("app_tx", ProbeSpecParser.parse("sock::send"));
            ProbeProgramBuilder builder = new ProbeProgramBuilder(Btf.kernel(), maps);
            ProbeScope scope = new ProbeScope(NetnsCookie.current(), 0, 0);
            FilterException e = assertThrows(FilterException.class,
                    () -> builder.build(PROBE, def, KeyFilter.of("udp and vlan"), scope, TagRole.NONE));
            assertEquals(FilterException.Pass.HOOK, e.pass());
            assertTrue(e.getMessage().startsWith("filter error at column 9: 'vlan' needs the packet's bytes"), e.getMessage());
            List<ProbeProgram> parts = builder.build(PROBE, def, KeyFilter.of("udp port 53 or 54 and len > 40"), scope, TagRole.NONE);
            try (Program p = Program.load(parts.get(0).spec())) {
                assertTrue(p.instructions().size() > 0);
            }
        }
    }
}
