package io.vnettracer.kafka;

import io.vnettracer.bpf.netns.NetNamespace;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Random;
import java.util.concurrent.CountDownLatch;

/** Real UDP datagrams from one namespace to a socket in another, at a fixed rate; the receiver counts what it gets. */
final class UdpBlast {
    long received;

    void run(String from, String to, String toAddress, int port, int count, int perSecond) throws Exception {
        CountDownLatch ready = new CountDownLatch(1);
        Thread receiver = Thread.ofPlatform().start(() -> {
            try (NetNamespace ns = NetNamespace.named(to)) {
                ns.execute(() -> {
                    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(toAddress, port))) {
                        s.setReceiveBufferSize(4 << 20);
                        s.setSoTimeout(1000);
                        ready.countDown();
                        byte[] buf = new byte[2048];
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        while (true) {
                            try {
                                s.receive(p);
                                received++;
                            } catch (SocketTimeoutException idle) {
                                return;
                            }
                        }
                    }
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        ready.await();
        Random random = new Random(count);
        try (NetNamespace ns = NetNamespace.named(from)) {
            ns.execute(() -> {
                try (DatagramSocket s = new DatagramSocket()) {
                    InetSocketAddress dst = new InetSocketAddress(toAddress, port);
                    long interval = 1_000_000_000L / perSecond, next = System.nanoTime();
                    for (int i = 0; i < count; i++) {
                        while (System.nanoTime() < next) Thread.onSpinWait();
                        byte[] payload = new byte[16 + random.nextInt(400)];
                        random.nextBytes(payload);
                        s.send(new DatagramPacket(payload, payload.length, dst));
                        next += interval;
                    }
                }
            });
        }
        receiver.join();
    }
}
