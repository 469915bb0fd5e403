package io.vnettracer.probe.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ProbeSpecParserTest {
    @Test
    void devicesWithAndWithoutNamespace() {
        assertEquals(new ProbeSpec.Device("vm1", "eth0", ProbeSpec.Direction.INGRESS), ProbeSpecParser.parse("dev:vm1/eth0:ingress"));
        assertEquals(new ProbeSpec.Device(null, "br0", ProbeSpec.Direction.EGRESS), ProbeSpecParser.parse("dev:br0:egress"));
    }

    @Test
    void socketsKernelAndDrops() {
        assertEquals(new ProbeSpec.Socket("vm2", ProbeSpec.SocketPoint.RECV), ProbeSpecParser.parse("sock:vm2:recv"));
        assertEquals(new ProbeSpec.Socket(null, ProbeSpec.SocketPoint.SEND), ProbeSpecParser.parse("sock::send"));
        assertEquals(new ProbeSpec.Socket(null, ProbeSpec.SocketPoint.SEND), ProbeSpecParser.parse("sock:send"));
        assertEquals(new ProbeSpec.Kernel("net_dev_queue", "vm1", "eth0"), ProbeSpecParser.parse("kernel:net_dev_queue:vm1/eth0"));
        assertEquals(new ProbeSpec.Kernel("netif_receive_skb", null, null), ProbeSpecParser.parse("kernel:netif_receive_skb"));
        assertEquals(new ProbeSpec.Drops("vm2"), ProbeSpecParser.parse("drops:vm2"));
        assertEquals(new ProbeSpec.Drops(null), ProbeSpecParser.parse("drops"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "dev:vm1/eth0:ingress|dev:vm1/eth0:ingress",
            "sock:vm2:recv|sock:vm2:recv",
            "kernel:net_dev_start_xmit:eth0|kernel:net_dev_start_xmit:eth0",
            "drops|drops"})
    void textRoundTrips(String spec, String text) {
        assertEquals(text, ProbeSpecParser.parse(spec).text());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "dev:eth0|missing ':ingress' or ':egress'",
            "dev:eth0:sideways|direction must be 'ingress' or 'egress', not 'sideways'",
            "dev:vm1/:ingress|missing interface name",
            "dev:averyveryverylongname:ingress|longer than 15",
            "dev:vm 1/eth0:ingress|namespace name 'vm 1'",
            "sock:vm1:listen|'send' or 'recv', not 'listen'",
            "kernel:sched_switch|does not carry a packet",
            "kernel:net_dev_xmit|does not carry a packet",
            "kernel:|needs a tracepoint",
            "wire:eth0|unknown probe kind 'wire'"})
    void badSpecsSayWhatIsWrong(String spec, String message) {
        ProbeSpecException e = assertThrows(ProbeSpecException.class, () -> ProbeSpecParser.parse(spec));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertTrue(e.getMessage().contains("bad probe '" + spec + "'"), e.getMessage());
    }
}
