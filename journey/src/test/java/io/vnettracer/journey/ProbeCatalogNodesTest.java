package io.vnettracer.journey;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeCatalogNodesTest {
    @Test
    void aProbesNodeIsItsNamesPrefix() {
        ProbeCatalog c = new ProbeCatalog().probe(3, "vm1/eth0_out", "").probe(1, "host/br0:in", "")
                .probe(7, "app_tx", "").probe(2, "vm1/eth0_in", "").dropProbe(9, "host/kfree_skb", "");
        assertEquals(List.of("vm1", "host", ProbeCatalog.LOCAL_NODE), c.nodes());
        assertEquals(List.of(0, 1, 2, 0, 1), List.of(c.nodeNumber(0), c.nodeNumber(1), c.nodeNumber(2), c.nodeNumber(3), c.nodeNumber(4)));
        assertEquals("vm1", c.get(c.indexOf(2)).node());
        assertEquals(ProbeCatalog.LOCAL_NODE, ProbeCatalog.nodeOf("/odd"), "an empty prefix is no node");
        assertEquals("a", ProbeCatalog.nodeOf("a/b/c"));
    }
}
