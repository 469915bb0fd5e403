package io.vnettracer.session;

import io.vnettracer.bpf.testing.*;
import io.vnettracer.probe.script.*;
import io.vnettracer.probe.spec.*;
import io.vnettracer.probe.program.*;
import java.net.*;
import java.util.*;
import org.junit.jupiter.api.Test;

class ScratchDebugTest {
    @Test
    void debug() throws Exception {
        try (VethPair net = new VethPair("vdbg", 43);
             DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(net.outerAddress, 40400))) {
            TracingScript script = new TracingScript(List.of(
                    ProbeDefinition.recording("app", ProbeSpecParser.parse("sock::recv")), ProbeDefinition.recording("cons", ProbeSpecParser.parse("kernel:consume_skb"))), null, IdentityMode.FINGERPRINT);
            try (TraceSession s = TraceSession.start(script, FilterCompiler.NONE, e -> System.out.println("EVENT probe=" + e.probeId() + " proto=" + e.protocol() + " port=" + e.dstPort() + " if=" + e.ifindex() + " ns=" + e.netnsCookie() + " fam=" + e.family() + " len=" + e.skbLength()), SessionOptions.DEFAULT)) {
                System.out.println(s.listing("cons").lines().count() + " insns; cookie=" + io.vnettracer.bpf.sys.NetnsCookie.current());
                int sent = Traffic.udpFromNamespace(net.namespace, net.outerAddress, 40400, 3);
                receiver.setSoTimeout(2000);
                for (int i = 0; i < sent; i++) receiver.receive(new DatagramPacket(new byte[64], 64));
                Thread.sleep(100);
                System.out.println(s.status());
            }
        }
    }
}
