package io.vnettracer.lab;

import io.vnettracer.bpf.netns.NetNamespace;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;

/** Sends UDP datagrams from one lab namespace to another and counts what the receiver's socket got. */
final class Datagrams {
    private Datagrams() {}

    static int sendAndCount(String fromNamespace, String toNamespace, String toAddress, int port, int count) throws Exception {
        try (NetNamespace to = NetNamespace.named(toNamespace);
             NetNamespace from = NetNamespace.named(fromNamespace);
             DatagramSocket receiver = to.run(() -> new DatagramSocket(new InetSocketAddress(toAddress, port)));
             DatagramSocket sender = from.run(() -> new DatagramSocket())) {
            receiver.setSoTimeout(500);
            byte[] payload = new byte[64];
            InetSocketAddress target = new InetSocketAddress(toAddress, port);
            for (int i = 0; i < count; i++) {
                sender.send(new DatagramPacket(payload, payload.length, target));
            }
            int received = 0;
            DatagramPacket packet = new DatagramPacket(new byte[256], 256);
            try {
                while (received < count) {
                    receiver.receive(packet);
                    received++;
                }
            } catch (SocketTimeoutException allThatCame) {
                // the rest were dropped
            }
            return received;
        }
    }
}
