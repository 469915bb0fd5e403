package io.vnettracer.bpf.btf;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.vnettracer.bpf.sys.Attr;
import io.vnettracer.bpf.sys.Bpf;
import io.vnettracer.bpf.sys.BpfCommand;
import io.vnettracer.bpf.sys.BpfException;
import io.vnettracer.bpf.sys.Fd;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Loads a BTF blob into the kernel (BPF_BTF_LOAD), for maps and programs that describe their own
 * types. The kernel checks the blob; a refusal carries the kernel's log.
 */
public final class KernelBtfLoader {
    private static final int LOG_SIZE = 1 << 16;

    private KernelBtfLoader() {}

    public static Fd load(byte[] blob) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(blob.length, 8);
            MemorySegment.copy(blob, 0, data, JAVA_BYTE, 0, blob.length);
            MemorySegment log = arena.allocate(LOG_SIZE);
            MemorySegment a = Bpf.attr();
            a.set(JAVA_LONG, Attr.BtfLoad.BTF, data.address());
            a.set(JAVA_INT, Attr.BtfLoad.BTF_SIZE, blob.length);
            a.set(JAVA_LONG, Attr.BtfLoad.BTF_LOG_BUF, log.address());
            a.set(JAVA_INT, Attr.BtfLoad.BTF_LOG_SIZE, LOG_SIZE);
            a.set(JAVA_INT, Attr.BtfLoad.BTF_LOG_LEVEL, 1);
            long r = Bpf.tryCall(BpfCommand.BPF_BTF_LOAD, a);
            if (r < 0) {
                throw new BpfException("BPF_BTF_LOAD", (int) -r, "loading " + blob.length + " bytes of BTF", log.getString(0));
            }
            return new Fd((int) r);
        }
    }
}
