package io.vnettracer.probe.testing;

import io.vnettracer.bpf.netns.NetNamespace;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Real UDP traffic between two namespaces for path tests: datagrams numbered in their first 8
 * bytes, of varied sizes (16–415 bytes) and random content, sent at a fixed rate; the receiver
 * checks every byte it gets. Counters are written by the receiving thread and read after
 * {@link #run} has returned.
 */
public final class UdpTraffic {
    /** IPv4 + UDP headers. */
    public static final int HEADERS = 28;

    public final int count;
    public final byte[][] payloads;
    public final long[] sentAtNanos;
    /** IP bytes of every datagram sent. */
    public final long sentIpBytes;
    public volatile long received;
    public long corrupted;
    public long receivedIpBytes;
    public long firstReceivedAt;
    public long lastReceivedAt;
    private int receiveBufferBytes;

    public UdpTraffic(int count, long seed) {
        this.count = count;
        this.payloads = new byte[count][];
        this.sentAtNanos = new long[count];
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            byte[] p = new byte[16 + random.nextInt(400)];
            random.nextBytes(p);
            ByteBuffer.wrap(p).putLong(i);
            payloads[i] = p;
        }
        long bytes = 0;
        for (byte[] p : payloads) bytes += p.length + HEADERS;
        this.sentIpBytes = bytes;
    }

    /** A receive buffer of this size (SO_RCVBUF) instead of the system default: fewer drops when the receiver lags. */
    public UdpTraffic withReceiveBuffer(int bytes) {
        this.receiveBufferBytes = bytes;
        return this;
    }

    /** Sends every datagram from namespace {@code from} at {@code perSecond}, then waits for the receiver. */
    public void run(String from, String to, String toAddress, int port, int perSecond) throws Exception {
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
                    for (int i = 0; i < count; i++) {
                        while (System.nanoTime() < next) {
                            Thread.onSpinWait();
                        }
                        sentAtNanos[i] = System.nanoTime();
                        s.send(new DatagramPacket(payloads[i], payloads[i].length, dst));
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
                    if (receiveBufferBytes > 0) {
                        s.setReceiveBufferSize(receiveBufferBytes);
                    }
                    ready.set(1);
                    byte[] buf = new byte[2048];
                    while (true) {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        try {
                            s.receive(p);
                        } catch (SocketTimeoutException idle) {
                            return;
                        }
                        long seq = ByteBuffer.wrap(buf).getLong(0);
                        byte[] got = Arrays.copyOf(buf, p.getLength());
                        if (seq < 0 || seq >= count || !Arrays.equals(got, payloads[(int) seq])) {
                            corrupted++;
                            continue;
                        }
                        received++;
                        receivedIpBytes += got.length + HEADERS;
                        long now = System.nanoTime();
                        if (firstReceivedAt == 0) {
                            firstReceivedAt = now;
                        }
                        lastReceivedAt = now;
                    }
                }
            });
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What the receiving application got, in IP bits per second between its first and last
     * datagram: the same definition the tracer uses at the path's last probe.
     */
    public double receivedRateBps() {
        return receivedIpBytes * 8.0 * 1e9 / (lastReceivedAt - firstReceivedAt);
    }
}
