package io.vnettracer.remote.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.journey.ProbeCatalog;
import io.vnettracer.probe.program.TagRole;
import io.vnettracer.probe.script.ScriptParser;
import io.vnettracer.probe.script.TagPart;
import io.vnettracer.probe.script.TracingScript;
import java.util.List;
import org.junit.jupiter.api.Test;

class NodeScriptsTest {
    private static final String SCRIPT = String.join("\n",
            "filter udp and port 9",
            "probe vm1/out dev:eth0:egress sample 1/4",
            "probe host/br kernel:netif_receive_skb:br0 filter \"udp and dst port 9\"",
            "probe vm2/in dev:ns2/eth0:ingress actions record",
            "probe vm1/drops drops",
            "");

    @Test
    void givesEachNodeItsProbesUnderTheirOwnNamesAndTheJoinerTheirFullNames() {
        NodeScripts split = NodeScripts.split(ScriptParser.parse(SCRIPT, "t"), List.of("vm1", "host", "vm2"));
        TracingScript vm1 = ScriptParser.parse(split.scriptOf("vm1"), "vm1");
        assertEquals(List.of("out", "drops"), vm1.probes().stream().map(p -> p.name()).toList());
        assertEquals(4, vm1.probes().get(0).sampleEvery());
        assertEquals("udp and port 9", vm1.globalFilter());
        TracingScript host = ScriptParser.parse(split.scriptOf("host"), "host");
        assertEquals("udp and dst port 9", host.probes().get(0).filter());
        assertEquals(0, split.globalId("vm1", 0));
        assertEquals(3, split.globalId("vm1", 1));
        assertEquals(2, split.globalId("vm2", 0));
        assertEquals(-1, split.globalId("vm2", 1), "a probe added live is not in the script");
        assertEquals("vm1/drops", split.catalog().get(split.catalog().indexOf(3)).name());
        assertTrue(split.catalog().get(split.catalog().indexOf(3)).dropProbe());
    }

    @Test
    void placesProbesAddedLiveAfterTheirNodesScriptProbesUnderTheirFullNames() {
        NodeScripts split = NodeScripts.split(ScriptParser.parse(SCRIPT, "t"), List.of("vm1", "host", "vm2"));
        NodeScripts.LiveProbe added = split.addLive("host", 1, "br_out", "dev:br0:egress", false);
        assertEquals(4, added.globalId());
        assertEquals(4, split.globalId("host", 1));
        assertEquals(added, split.addLive("host", 1, "br_out", "dev:br0:egress", false), "registered once");
        split.addLive("vm2", 3, "late", "dev:eth1:ingress", false);
        assertEquals(5, split.globalId("vm2", 3));
        assertEquals(-1, split.globalId("vm2", 2), "ids the agent did not give stay unknown");
        assertEquals(6, split.probeCount());
        ProbeCatalog catalog = split.catalog();
        ProbeCatalog.Probe br = catalog.get(catalog.indexOf(1));
        ProbeCatalog.Probe brOut = catalog.get(catalog.indexOf(4));
        ProbeCatalog.Probe in = catalog.get(catalog.indexOf(2));
        assertEquals("host/br_out", brOut.name());
        assertTrue(br.position() < brOut.position() && brOut.position() < in.position(),
                "between host's script probe and vm2's: " + br + " " + brOut + " " + in);
        assertTrue(catalog.get(catalog.indexOf(5)).position() > in.position());
        assertEquals("probe out dev:eth0:egress actions record,count sample 1/4", NodeScripts.probeLine(
                ScriptParser.parse(split.scriptOf("vm1"), "vm1").probes().get(0)));
    }

    @Test
    void refusesWhatCannotBeSplit() {
        TracingScript script = ScriptParser.parse(SCRIPT, "t");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> NodeScripts.split(script, List.of("vm1", "host")))
                .getMessage().contains("no agent named 'vm2'"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> NodeScripts.split(script, List.of("vm1", "host", "vm2", "vm3"))).getMessage()
                .contains("agent 'vm3' has no probes"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> NodeScripts.split(ScriptParser.parse("probe out dev:eth0:egress\n", "t"), List.of("vm1")))
                .getMessage().contains("name it NODE/NAME"));
    }

    @Test
    void inTagModeEachNodeIsToldWhichOfItsProbesWritesStripsOrReadsTheTag() {
        String script = String.join("\n", "identity tag",
                "probe vm1/out dev:eth0:egress",
                "probe host/in dev:p0:ingress",
                "probe host/out dev:p1:egress",
                "probe vm2/in dev:eth0:ingress",
                "probe vm2/drops drops", "");
        NodeScripts split = NodeScripts.split(ScriptParser.parse(script, "t"), List.of("vm1", "host", "vm2"));
        TracingScript vm1 = ScriptParser.parse(split.scriptOf("vm1"), "vm1");
        TracingScript host = ScriptParser.parse(split.scriptOf("host"), "host");
        TracingScript vm2 = ScriptParser.parse(split.scriptOf("vm2"), "vm2");
        assertEquals(TagPart.WRITE, vm1.probes().get(0).tagPart());
        assertEquals(List.of(TagPart.READ, TagPart.READ), host.probes().stream().map(p -> p.tagPart()).toList());
        assertEquals(TagPart.STRIP, vm2.probes().get(0).tagPart());
        assertEquals(null, vm2.probes().get(1).tagPart(), "a drop probe has no part");
        // what each node's session then does: host's egress probe reads, though it is the first egress of its part
        assertEquals(TagRole.READ, TagRole.of(host.probes().get(1), host.probes(), host.identity()));
        assertEquals(TagRole.WRITE, TagRole.of(vm1.probes().get(0), vm1.probes(), vm1.identity()));
        assertEquals(TagRole.STRIP, TagRole.of(vm2.probes().get(0), vm2.probes(), vm2.identity()));
    }
}
