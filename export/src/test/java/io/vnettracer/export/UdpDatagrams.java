package io.vnettracer.export;

import io.vnettracer.bpf.netns.NetNamespace;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.concurrent.CountDownLatch;

/** A known number of UDP datagrams of varied sizes from one namespace to another at a fixed rate. */
final class UdpDatagrams {
    static final int HEADERS = 28;

    final int count;
    volatile long received;
    volatile long receivedIpBytes;
    long sentIpBytes;

    UdpDatagrams(int count) {
        this.count = count;
    }

    static int size(int i) {
        return 32 + (i * 37) % 400;
    }

    void run(String from, String to, String toAddress, int port, int perSecond) throws Exception {
        CountDownLatch ready = new CountDownLatch(1);
        Thread receiver = Thread.ofPlatform().start(() -> receive(to, toAddress, port, ready));
        ready.await();
        try (NetNamespace ns = NetNamespace.named(from)) {
            ns.execute(() -> {
                try (DatagramSocket s = new DatagramSocket()) {
                    InetSocketAddress dst = new InetSocketAddress(toAddress, port);
                    long interval = 1_000_000_000L / perSecond;
                    long next = System.nanoTime();
                    byte[] payload = new byte[512];
                    for (int i = 0; i < count; i++) {
                        while (System.nanoTime() < next) Thread.onSpinWait();
                        s.send(new DatagramPacket(payload, size(i), dst));
                        sentIpBytes += size(i) + HEADERS;
                        next += interval;
                    }
                }
            });
        }
        receiver.join();
    }

    private void receive(String in, String address, int port, CountDownLatch ready) {
        try (NetNamespace ns = NetNamespace.named(in)) {
            ns.execute(() -> {
                try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(address, port))) {
                    s.setSoTimeout(1000);
                    ready.countDown();
                    byte[] buf = new byte[2048];
                    while (true) {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        try {
                            s.receive(p);
                        } catch (SocketTimeoutException idle) {
                            return;
                        }
                        received++;
                        receivedIpBytes += p.getLength() + HEADERS;
                    }
                }
            });
        } catch (Exception e) {
            ready.countDown();
            throw new IllegalStateException(e);
        }
    }
}
