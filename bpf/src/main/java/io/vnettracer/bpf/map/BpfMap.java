package io.vnettracer.bpf.map;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.vnettracer.bpf.sys.Attr;
import io.vnettracer.bpf.sys.Bpf;
import io.vnettracer.bpf.sys.BpfCommand;
import io.vnettracer.bpf.sys.BpfException;
import io.vnettracer.bpf.sys.Cpus;
import io.vnettracer.bpf.sys.Errno;
import io.vnettracer.bpf.sys.Fd;
import io.vnettracer.bpf.sys.ObjectName;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/** A map in the kernel. */
public final class BpfMap implements AutoCloseable {
    /** Update flags, from include/uapi/linux/bpf.h. */
    public static final long BPF_ANY = 0;
    public static final long BPF_NOEXIST = 1;
    public static final long BPF_EXIST = 2;

    private final Fd fd;
    private final MapSpec spec;

    private BpfMap(Fd fd, MapSpec spec) {
        this.fd = fd;
        this.spec = spec;
    }

    public static BpfMap create(MapSpec spec) {
        MemorySegment a = Bpf.attr();
        a.set(JAVA_INT, Attr.MapCreate.MAP_TYPE, spec.type().number());
        a.set(JAVA_INT, Attr.MapCreate.KEY_SIZE, spec.keySize());
        a.set(JAVA_INT, Attr.MapCreate.VALUE_SIZE, spec.valueSize());
        a.set(JAVA_INT, Attr.MapCreate.MAX_ENTRIES, spec.maxEntries());
        a.set(JAVA_INT, Attr.MapCreate.MAP_FLAGS, spec.flags());
        ObjectName.write(a, Attr.MapCreate.MAP_NAME, spec.name());
        int fd = Bpf.call(BpfCommand.BPF_MAP_CREATE, a, "creating " + spec.type().kernelName() + " map '" + spec.name() + "'");
        return new BpfMap(new Fd(fd), spec);
    }

    public Fd fd() {
        return fd;
    }

    public MapSpec spec() {
        return spec;
    }

    public String name() {
        return spec.name();
    }

    /**
     * Bytes of a value as user space reads and writes it: for per-CPU maps, one 8-byte aligned slot
     * per possible CPU.
     */
    public int userValueSize() {
        if (spec.type().isPerCpu()) {
            return perCpuSlotSize() * Cpus.possible();
        }
        return spec.valueSize();
    }

    /** Bytes between CPUs in a per-CPU value. */
    public int perCpuSlotSize() {
        return (spec.valueSize() + 7) & ~7;
    }

    // ---- allocation-free element access ---------------------------------------------------------

    /** Copies the value of {@code key} into {@code value}; false if there is no such key. */
    public boolean lookup(MemorySegment key, MemorySegment value) {
        MemorySegment a = elemAttr(key, value);
        long r = Bpf.tryCall(BpfCommand.BPF_MAP_LOOKUP_ELEM, a);
        if (r == -Errno.ENOENT) {
            return false;
        }
        check(r, BpfCommand.BPF_MAP_LOOKUP_ELEM, "looking up");
        return true;
    }

    /** Sets the value of {@code key}; flags are {@link #BPF_ANY}, {@link #BPF_NOEXIST} or {@link #BPF_EXIST}. */
    public void update(MemorySegment key, MemorySegment value, long flags) {
        MemorySegment a = elemAttr(key, value);
        a.set(JAVA_LONG, Attr.MapElem.FLAGS, flags);
        check(Bpf.tryCall(BpfCommand.BPF_MAP_UPDATE_ELEM, a), BpfCommand.BPF_MAP_UPDATE_ELEM, "updating");
    }

    /** Removes {@code key}; false if it was not there. */
    public boolean delete(MemorySegment key) {
        MemorySegment a = elemAttr(key, MemorySegment.NULL);
        long r = Bpf.tryCall(BpfCommand.BPF_MAP_DELETE_ELEM, a);
        if (r == -Errno.ENOENT) {
            return false;
        }
        check(r, BpfCommand.BPF_MAP_DELETE_ELEM, "deleting from");
        return true;
    }

    /** Writes the key after {@code key} (the first key when {@code key} is NULL) into {@code next}; false at the end. */
    public boolean nextKey(MemorySegment key, MemorySegment next) {
        MemorySegment a = elemAttr(key, next);
        long r = Bpf.tryCall(BpfCommand.BPF_MAP_GET_NEXT_KEY, a);
        if (r == -Errno.ENOENT) {
            return false;
        }
        check(r, BpfCommand.BPF_MAP_GET_NEXT_KEY, "iterating");
        return true;
    }

    /** What {@link #forEachBatch} hands over: {@code count} keys and values, packed, valid during the call. */
    @FunctionalInterface
    public interface BatchVisitor {
        void visit(MemorySegment keys, MemorySegment values, int count);
    }

    /**
     * Reads every entry in batches of up to {@code batchSize} (BPF_MAP_LOOKUP_BATCH: one system call
     * per batch, not two per entry). Entries the kernel's programs add or remove meanwhile may be seen
     * or not, as with any iteration of a live map. Values of per-CPU maps come as {@link
     * #userValueSize()} bytes each.
     */
    public void forEachBatch(int batchSize, BatchVisitor visitor) {
        forEachBatch(batchSize, Long.MAX_VALUE, visitor);
    }

    /**
     * The same, stopping once {@code limit} entries were handed over (the last batch may hold more):
     * for an array, whose entries come in index order, its first {@code limit} entries.
     */
    public void forEachBatch(int batchSize, long limit, BatchVisitor visitor) {
        long seen = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment keys = arena.allocate((long) spec.keySize() * batchSize, 8);
            MemorySegment values = arena.allocate((long) userValueSize() * batchSize, 8);
            MemorySegment in = arena.allocate(8, 8);
            MemorySegment out = arena.allocate(8, 8);
            boolean first = true;
            while (true) {
                MemorySegment a = Bpf.attr();
                a.set(JAVA_LONG, Attr.MapBatch.IN_BATCH, first ? 0 : in.address());
                a.set(JAVA_LONG, Attr.MapBatch.OUT_BATCH, out.address());
                a.set(JAVA_LONG, Attr.MapBatch.KEYS, keys.address());
                a.set(JAVA_LONG, Attr.MapBatch.VALUES, values.address());
                a.set(JAVA_INT, Attr.MapBatch.COUNT, batchSize);
                a.set(JAVA_INT, Attr.MapBatch.MAP_FD, fd.get());
                long r = Bpf.tryCall(BpfCommand.BPF_MAP_LOOKUP_BATCH, a);
                int count = a.get(JAVA_INT, Attr.MapBatch.COUNT);
                if (r < 0 && r != -Errno.ENOENT) {
                    check(r, BpfCommand.BPF_MAP_LOOKUP_BATCH, "reading");
                }
                if (count > 0) {
                    visitor.visit(keys, values, count);
                    seen += count;
                }
                if (r == -Errno.ENOENT || seen >= limit) {
                    return;
                }
                MemorySegment.copy(out, 0, in, 0, 8);
                first = false;
            }
        }
    }

    /** Removes the first {@code count} keys packed in {@code keys}; returns how many were there. */
    public int deleteBatch(MemorySegment keys, int count) {
        MemorySegment a = Bpf.attr();
        a.set(JAVA_LONG, Attr.MapBatch.KEYS, keys.address());
        a.set(JAVA_INT, Attr.MapBatch.COUNT, count);
        a.set(JAVA_INT, Attr.MapBatch.MAP_FD, fd.get());
        long r = Bpf.tryCall(BpfCommand.BPF_MAP_DELETE_BATCH, a);
        if (r < 0 && r != -Errno.ENOENT) {
            check(r, BpfCommand.BPF_MAP_DELETE_BATCH, "deleting from");
        }
        return a.get(JAVA_INT, Attr.MapBatch.COUNT);
    }

    private MemorySegment elemAttr(MemorySegment key, MemorySegment value) {
        MemorySegment a = Bpf.attr();
        a.set(JAVA_INT, Attr.MapElem.MAP_FD, fd.get());
        a.set(JAVA_LONG, Attr.MapElem.KEY, key.address());
        a.set(JAVA_LONG, Attr.MapElem.VALUE, value.address());
        return a;
    }

    private void check(long r, BpfCommand cmd, String what) {
        if (r < 0) {
            throw new BpfException(cmd.name(), (int) -r, what + " map '" + spec.name() + "'");
        }
    }

    // ---- convenience ------------------------------------------------------------------------------

    /** This map seen through codecs for its keys and values. */
    public <K, V> TypedMap<K, V> typed(Codec<K> keys, Codec<V> values) {
        return new TypedMap<>(this, keys, values);
    }

    /** Every key, in the kernel's iteration order. */
    public List<byte[]> keys() {
        List<byte[]> out = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment current = arena.allocate(Math.max(1, spec.keySize()));
            MemorySegment next = arena.allocate(Math.max(1, spec.keySize()));
            MemorySegment from = MemorySegment.NULL;
            while (nextKey(from, next)) {
                out.add(next.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
                MemorySegment.copy(next, 0, current, 0, spec.keySize());
                from = current;
            }
        }
        return out;
    }

    /**
     * The value of a u32 key in a per-CPU map of u64 values, one element per possible CPU.
     * Returns null if the key is absent.
     */
    public long[] lookupPerCpuLongs(int key) {
        if (!spec.type().isPerCpu() || spec.valueSize() != 8) {
            throw new IllegalStateException("map '" + spec.name() + "' is not a per-CPU map of u64 values");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment k = arena.allocate(JAVA_INT);
            k.set(JAVA_INT, 0, key);
            MemorySegment v = arena.allocate(userValueSize(), 8);
            if (!lookup(k, v)) {
                return null;
            }
            return v.toArray(JAVA_LONG);
        }
    }

    /** The sum over CPUs of a per-CPU u64 value, or of a plain u64 value; 0 if the key is absent. */
    public long sumLong(int key) {
        if (spec.type().isPerCpu()) {
            long[] values = lookupPerCpuLongs(key);
            long sum = 0;
            if (values != null) {
                for (long v : values) {
                    sum += v;
                }
            }
            return sum;
        }
        Long v = typed(Codec.U32, Codec.U64).get(key);
        return v == null ? 0 : v;
    }

    /** The kernel's id of this map (as bpftool shows it). */
    public int id() {
        return idOf(fd);
    }

    /** The kernel's id of the map behind a descriptor. */
    public static int idOf(Fd mapFd) {
        return Bpf.objectId(mapFd.get(), Attr.MapInfo.SIZE, Attr.MapInfo.ID, "a map");
    }

    /** Pins the map on a bpffs mount so that it outlives this process. */
    public void pin(String path) {
        Bpf.pin(fd.get(), path);
    }

    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return "map '" + spec.name() + "' (" + spec.type().kernelName() + ")";
    }
}
