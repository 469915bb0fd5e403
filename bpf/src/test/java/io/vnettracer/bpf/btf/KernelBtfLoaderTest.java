package io.vnettracer.bpf.btf;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.sys.BpfException;
import io.vnettracer.bpf.sys.Fd;
import io.vnettracer.bpf.testing.Root;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class KernelBtfLoaderTest {
    private static final int KIND_INT = 1;
    private static final int KIND_STRUCT = 4;

    @BeforeEach
    void root() {
        Root.assume();
    }

    @Test
    void theKernelAcceptsAWellFormedBlob() {
        BtfBlobBuilder b = new BtfBlobBuilder();
        b.type(b.string("u32"), KIND_INT, 0, false, 4);
        b.words(32); // encoding 0, offset 0, 32 bits
        b.type(b.string("pair"), KIND_STRUCT, 2, false, 8);
        b.words(b.string("a"), 1, 0);
        b.words(b.string("b"), 1, 32);
        try (Fd fd = KernelBtfLoader.load(b.build())) {
            assertTrue(fd.isOpen());
        }
    }

    @Test
    void aBrokenBlobIsRefusedWithTheKernelsReason() {
        BtfBlobBuilder b = new BtfBlobBuilder();
        b.type(b.string("pair"), KIND_STRUCT, 1, false, 4);
        b.words(b.string("a"), 7, 0); // member of type 7, which does not exist
        BpfException e = assertThrows(BpfException.class, () -> KernelBtfLoader.load(b.build()));
        assertTrue(e.getMessage().contains("BPF_BTF_LOAD"), e.getMessage());
        assertFalse(e.verifierLog().isBlank(), "the kernel's log explains the refusal");
    }
}
