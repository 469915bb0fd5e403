package io.vnettracer.bpf.ringbuf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.vnettracer.bpf.map.BpfMap;
import io.vnettracer.bpf.map.MapType;
import io.vnettracer.bpf.sys.Fd;
import io.vnettracer.bpf.sys.LibC;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * Reads a ring buffer map. {@link #drain} hands over every committed record, stopping at the first
 * one still being written; {@link #poll} drains first and waits on epoll only when the ring is empty.
 */
public final class RingBufferReader implements AutoCloseable {
    private static final VarHandle LONG = JAVA_LONG.varHandle();
    private static final VarHandle INT = JAVA_INT.varHandle();
    /** struct epoll_event is packed on x86_64: u32 events, u64 data. */
    private static final int EPOLL_EVENT_SIZE = 12;

    private final String name;
    private final long capacity;
    private final long mask;
    private final MemorySegment consumerPage;
    private final MemorySegment producerAndData;
    private final MemorySegment data;
    private final Fd epoll;
    private final MemorySegment epollEvents;

    private long consumed;
    private long discarded;
    private long corrupt;
    private long bytes;

    public RingBufferReader(BpfMap map) {
        if (map.spec().type() != MapType.RINGBUF) {
            throw new IllegalArgumentException(map + " is not a ring buffer");
        }
        this.name = map.name();
        this.capacity = map.spec().maxEntries();
        this.mask = capacity - 1;
        long page = LibC.pageSize();
        int fd = map.fd().get();
        this.consumerPage = LibC.mmap(page, LibC.PROT_READ | LibC.PROT_WRITE, LibC.MAP_SHARED, fd, 0,
                "mapping the consumer page of ring buffer '" + name + "'");
        MemorySegment rest;
        try {
            rest = LibC.mmap(page + 2 * capacity, LibC.PROT_READ, LibC.MAP_SHARED, fd, page,
                    "mapping the data of ring buffer '" + name + "'");
        } catch (RuntimeException e) {
            LibC.munmap(consumerPage);
            throw e;
        }
        this.producerAndData = rest;
        this.data = rest.asSlice(page, 2 * capacity);
        this.epoll = new Fd(LibC.epollCreate());
        this.epollEvents = Arena.ofAuto().allocate(EPOLL_EVENT_SIZE * 4L, 8);
        MemorySegment event = epollEvents.asSlice(0, EPOLL_EVENT_SIZE);
        event.set(JAVA_INT, 0, LibC.EPOLLIN);
        LibC.epollCtl(epoll.get(), LibC.EPOLL_CTL_ADD, fd, event);
    }

    /**
     * Hands every committed record to {@code handler}, in order. Returns how many it handed over
     * (discarded records are skipped and counted, not handed over).
     */
    public int drain(RecordHandler handler) {
        long consumerPos = (long) LONG.getAcquire(consumerPage, 0L);
        long producerPos = (long) LONG.getAcquire(producerAndData, 0L);
        int handed = 0;
        while (consumerPos < producerPos) {
            long offset = consumerPos & mask;
            int header = (int) INT.getAcquire(data, offset);
            if (RingBufferLayout.isBusy(header)) {
                break;
            }
            int length = RingBufferLayout.length(header);
            long footprint = RingBufferLayout.footprint(length);
            if (footprint > capacity || consumerPos + footprint > producerPos) {
                // A header no producer could have written: stop rather than read garbage as records.
                corrupt++;
                consumerPos = producerPos;
                LONG.setRelease(consumerPage, 0L, consumerPos);
                break;
            }
            if (RingBufferLayout.isDiscarded(header)) {
                discarded++;
            } else {
                try {
                    handler.onRecord(data, offset + RingBufferLayout.HEADER_SIZE, length);
                } finally {
                    consumerPos += footprint;
                    // Give the space back record by record so producers are never blocked on a slow batch.
                    LONG.setRelease(consumerPage, 0L, consumerPos);
                }
                handed++;
                consumed++;
                bytes += length;
                continue;
            }
            consumerPos += footprint;
            LONG.setRelease(consumerPage, 0L, consumerPos);
        }
        return handed;
    }

    /**
     * Drains; if nothing was there, waits up to {@code timeoutMillis} for the kernel to signal
     * data, then drains again. Returns the number of records handed over.
     */
    public int poll(int timeoutMillis, RecordHandler handler) {
        int n = drain(handler);
        if (n > 0) {
            return n;
        }
        LibC.epollWait(epoll.get(), epollEvents, 4, timeoutMillis);
        return drain(handler);
    }

    /** Bytes written by producers and not yet consumed. */
    public long pending() {
        return (long) LONG.getAcquire(producerAndData, 0L) - (long) LONG.getAcquire(consumerPage, 0L);
    }

    public long capacity() {
        return capacity;
    }

    /** Records handed over so far. */
    public long consumed() {
        return consumed;
    }

    /** Records the producer reserved and then discarded. */
    public long discarded() {
        return discarded;
    }

    /** Times a record header was impossible (and the rest of the ring skipped). Should stay 0. */
    public long corrupt() {
        return corrupt;
    }

    /** Payload bytes handed over so far. */
    public long bytes() {
        return bytes;
    }

    /** The epoll descriptor that becomes readable when the ring has data. */
    public Fd epollFd() {
        return epoll;
    }

    @Override
    public void close() {
        epoll.close();
        LibC.munmap(producerAndData);
        LibC.munmap(consumerPage);
    }

    @Override
    public String toString() {
        return "ring buffer reader '" + name + "' (" + capacity + " bytes)";
    }
}
