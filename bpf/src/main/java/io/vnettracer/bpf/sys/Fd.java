package io.vnettracer.bpf.sys;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * A file descriptor this process owns: closed exactly once, by {@link #close()}. Maps, programs,
 * links, BTF objects and epoll instances each hold one.
 */
public final class Fd implements AutoCloseable {
    private static final int CLOSED = -1;

    private final AtomicInteger fd;

    public Fd(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("not a file descriptor: " + fd);
        }
        this.fd = new AtomicInteger(fd);
    }

    /** The descriptor number; throws if already closed, so a stale number never reaches the kernel. */
    public int get() {
        int v = fd.get();
        if (v == CLOSED) {
            throw new IllegalStateException("file descriptor already closed");
        }
        return v;
    }

    public boolean isOpen() {
        return fd.get() != CLOSED;
    }

    @Override
    public void close() {
        int v = fd.getAndSet(CLOSED);
        if (v != CLOSED) {
            LibC.close(v);
        }
    }

    @Override
    public String toString() {
        int v = fd.get();
        return v == CLOSED ? "fd(closed)" : "fd(" + v + ")";
    }
}
