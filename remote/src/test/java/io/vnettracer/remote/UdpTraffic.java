package io.vnettracer.remote;

import io.vnettracer.bpf.netns.NetNamespace;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;

/** Numbered UDP datagrams from one namespace to another at a fixed rate; the receiver counts what it gets. */
final class UdpTraffic {
    final int count;
    volatile long received;

    UdpTraffic(int count) {
        this.count = count;
    }

    /** Sends every datagram, then waits until the receiver has been idle for a second. */
    void run(String from, String to, String toAddress, int port, int perSecond) throws Exception {
        AtomicLong ready = new AtomicLong();
        Thread receiver = Thread.ofPlatform().start(() -> receive(to, toAddress, port, ready));
        while (ready.get() == 0) {
            Thread.onSpinWait();
        }
        try (NetNamespace ns = NetNamespace.named(from)) {
            ns.execute(() -> {
                try (DatagramSocket s = new DatagramSocket()) {
                    InetSocketAddress dst = new InetSocketAddress(toAddress, port);
                    long interval = 1_000_000_000L / perSecond;
                    long next = System.nanoTime();
                    byte[] payload = new byte[100];
                    for (int i = 0; i < count; i++) {
                        while (System.nanoTime() < next) {
                            Thread.onSpinWait();
                        }
                        ByteBuffer.wrap(payload).putLong(i);
                        s.send(new DatagramPacket(payload, payload.length, dst));
                        next += interval;
                    }
                }
            });
        }
        receiver.join();
    }

    private void receive(String in, String address, int port, AtomicLong ready) {
        try (NetNamespace ns = NetNamespace.named(in)) {
            ns.execute(() -> {
                try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(address, port))) {
                    s.setSoTimeout(1000);
                    s.setReceiveBufferSize(4 << 20);
                    ready.set(1);
                    byte[] buf = new byte[2048];
                    while (true) {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        try {
                            s.receive(p);
                        } catch (SocketTimeoutException idle) {
                            return;
                        }
                        received++;
                    }
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
