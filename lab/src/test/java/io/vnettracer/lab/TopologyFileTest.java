package io.vnettracer.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TopologyFileTest {
    static String example() throws IOException {
        try (InputStream in = TopologyFileTest.class.getResourceAsStream("/vlab3.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void readsTheExample() throws IOException {
        Topology t = TopologyFile.parse(example(), "vlab3.yaml");
        assertEquals("vlab", t.name());
        assertEquals(3, t.vms().size());
        VmSpec vm1 = t.vm("vm1").orElseThrow();
        assertEquals(0.5, vm1.loss().probability());
        assertEquals(11111, vm1.loss().port());
        assertEquals("tbf", t.vm("vm2").orElseThrow().shaping().kind());
        assertEquals(0, t.vm("vm0").orElseThrow().cpu());
        assertNull(t.vm("vm2").orElseThrow().cpu());
        assertEquals("vm0", t.contention().getFirst().vm());
        LabNames names = t.names();
        assertEquals("vlab-sw", names.switchNamespace());
        assertEquals("vlab-vm2", names.vmNamespace("vm2"));
        assertEquals("vlab-vm2-p", names.port("vm2"));
    }

    @Test
    void theSwitchDefaultsToItsOwnNamespace() {
        Topology t = TopologyFile.parse("name: a\nvms: [{name: x, address: 10.0.0.1/24}]\n", "t.yaml");
        assertEquals("a-sw", t.names().switchNamespace());
        Topology root = TopologyFile.parse("name: a\nswitch: {namespace: root}\nvms: [{name: x, address: 10.0.0.1/24}]\n", "t.yaml");
        assertNull(root.names().switchNamespace());
    }

    @Test
    void theSwitchIsALinuxBridgeUnlessOvsIsAsked() {
        assertFalse(TopologyFile.parse("name: a\nvms: [{name: x, address: 10.0.0.1/24}]\n", "t.yaml").switchSpec().isOvs());
        Topology ovs = TopologyFile.parse("name: a\nswitch: {kind: ovs}\nvms: [{name: x, address: 10.0.0.1/24}]\n", "t.yaml");
        assertTrue(ovs.switchSpec().isOvs());
        assertEquals("a-sw", ovs.names().switchNamespace());
    }

    @Test
    void anUnknownSwitchKindIsNamedWithItsField() {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyFile.parse(
                "name: a\nswitch: {kind: ovs-dpdk}\nvms: [{name: x, address: 10.0.0.1/24}]\n", "t.yaml"));
        assertTrue(e.getMessage().contains("switch.kind: 'ovs-dpdk' is neither 'bridge' nor 'ovs'"), e.getMessage());
        e = assertThrows(TopologyException.class, () -> TopologyFile.parse(
                "name: a\nswitch: {kind: ovs, namespace: root}\nvms: [{name: x, address: 10.0.0.1/24}]\n", "t.yaml"));
        assertTrue(e.getMessage().contains("switch.namespace: 'root' cannot hold an ovs switch"), e.getMessage());
    }

    @Test
    void anUnknownFieldIsNamedWithItsLine() {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyFile.parse(
                "name: a\nvms:\n  - name: x\n    adress: 10.0.0.1/24\n", "t.yaml"));
        assertTrue(e.getMessage().startsWith("t.yaml: vms[0].adress: unknown field 'adress'"), e.getMessage());
    }

    @Test
    void aSyntaxErrorIsNamedWithItsLine() {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyFile.parse(
                "name: a\nvms:\n  - name: x\n   address: [\n", "t.yaml"));
        assertTrue(e.getMessage().matches("(?s)t\\.yaml:[45]:\\d+: .*"), e.getMessage());
    }

    @Test
    void aWrongTypeIsNamedWithItsField() {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyFile.parse(
                "name: a\nvms:\n  - {name: x, address: 10.0.0.1/24, cpu: first}\n", "t.yaml"));
        assertTrue(e.getMessage().startsWith("t.yaml: vms[0].cpu: "), e.getMessage());
    }

    @Test
    void everyProblemIsListedWithItsField() {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyFile.parse("""
                name: Lab-1
                vms:
                  - {name: vm0, address: 10.0.0.1}
                  - {name: sw, address: 10.0.0.2/24, loss: {probability: 1.5}}
                  - {name: vm2, address: 10.0.0.2/24, shaping: {qdisc: cake, rate: fast}}
                  - {name: averyveryverylongname, address: 10.0.0.9/24}
                contention:
                  - {name: hog, cpu: 1, vm: nosuch}
                """, "t.yaml"));
        String m = e.getMessage();
        for (String expected : new String[] {"t.yaml: name: 'Lab-1'", "vms[0].address: '10.0.0.1'", "vms[1].name: 'sw'",
                "vms[1].loss.probability: 1.5", "vms[2].address: 10.0.0.2 is used twice", "vms[2].shaping.qdisc: 'cake'",
                "vms[2].shaping.rate: 'fast'", "contention[0].vm: no vm named 'nosuch'"}) {
            assertTrue(m.contains(expected), "expected '" + expected + "' in:\n" + m);
        }
    }

    @Test
    void portNamesMustFitAnInterfaceName() {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyFile.parse(
                "name: labname\nvms: [{name: vmnamelong, address: 10.0.0.1/24}]\n", "t.yaml"));
        assertTrue(e.getMessage().contains("'labname-vmnamelong-p' longer than 15"), e.getMessage());
    }

    @Test
    void aHypervisorIsCheckedFieldByField() {
        Topology ok = TopologyFile.parse("name: a\nhypervisor: {cores: [1], slice: 10ms}\nvms: [{name: x, address: 10.0.0.1/24, cpu: 1}]\n", "t.yaml");
        assertEquals(10, ok.hypervisor().sliceMillis());
        assertEquals(Hypervisor.DEFAULT_PRIORITY, ok.hypervisor().priorityOrDefault());
        assertTrue(ok.hypervisor().schedules(1));
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyFile.parse(
                "name: a\nhypervisor: {slice: 10s, priority: 100}\nvms: [{name: x, address: 10.0.0.1/24}]\n", "t.yaml"));
        assertTrue(e.getMessage().contains("t.yaml: hypervisor.cores: the cores it shares between VMs are needed"), e.getMessage());
        assertTrue(e.getMessage().contains("t.yaml: hypervisor.slice: '10s' is not a time slice in milliseconds"), e.getMessage());
        assertTrue(e.getMessage().contains("t.yaml: hypervisor.priority: 100 is not a real-time priority (1 to 99)"), e.getMessage());
    }
}
