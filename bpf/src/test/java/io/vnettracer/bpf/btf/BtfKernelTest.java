package io.vnettracer.bpf.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The parser against the running kernel's BTF. */
class BtfKernelTest {
    private static final Path VMLINUX = Btf.KERNEL_BTF_DIR.resolve("vmlinux");

    @BeforeAll
    static void kernelHasBtf() {
        assumeTrue(Files.isReadable(VMLINUX), "this kernel exposes no BTF at " + VMLINUX);
    }

    @Test
    void parsesVmlinuxQuickly() {
        long start = System.nanoTime();
        Btf first = Btf.load(VMLINUX);
        long firstNanos = System.nanoTime() - start;
        start = System.nanoTime();
        Btf.load(VMLINUX);
        long secondNanos = System.nanoTime() - start;
        System.out.printf("BTF: read and parsed %s (%d types) in %.1f ms; again in %.1f ms%n",
                VMLINUX, first.nextTypeId() - 1, firstNanos / 1e6, secondNanos / 1e6);
        // A loose guard only: the printed figure is the measurement.
        assertTrue(firstNanos < 3_000_000_000L, "parsing vmlinux took " + firstNanos / 1e6 + " ms");
        assertTrue(first.nextTypeId() > 1000, "vmlinux should define thousands of types");
    }

    @Test
    void cachesTheKernelBtf() {
        assertSame(Btf.kernel(), Btf.kernel());
    }

    @Test
    void findsSkBuffMembersInsideAnonymousUnions() {
        Btf btf = Btf.kernel();
        BtfType.Struct skb = btf.struct("sk_buff");
        long size = btf.sizeOf(skb.id());
        for (String name : List.of("len", "protocol", "data", "head", "tstamp")) {
            BtfMember m = btf.member("sk_buff", name);
            assertTrue(m.byteOffset() + btf.sizeOf(m.typeId()) <= size,
                    name + " at byte " + m.byteOffset() + " runs past sizeof(struct sk_buff) = " + size);
            assertFalse(m.isBitfield(), name + " is not a bitfield");
        }
        // tstamp and protocol sit inside anonymous unions (the latter in struct_group(headers)).
        assertTrue(skb.members().stream().noneMatch(m -> m.name().equals("tstamp")));
        assertTrue(skb.members().stream().noneMatch(m -> m.name().equals("protocol")));
        assertEquals(btf.member("sk_buff", "protocol").bitOffset(), btf.member("sk_buff", "headers.protocol").bitOffset());

        assertEquals(8, btf.sizeOf(btf.member("sk_buff", "data").typeId()));
        assertInstanceOf(BtfType.Ptr.class, btf.resolve(btf.member("sk_buff", "head").typeId()));
        assertEquals(4, btf.sizeOf(btf.member("sk_buff", "len").typeId()));
        assertEquals(2, btf.sizeOf(btf.member("sk_buff", "protocol").typeId()));
        assertNotEquals(btf.member("sk_buff", "head").byteOffset(), btf.member("sk_buff", "data").byteOffset());
        assertEquals("struct sk_buff has no member 'foo'",
                assertThrows(BtfException.class, () -> btf.member("sk_buff", "foo")).getMessage());
    }

    @Test
    void readsIphdrBitfields() {
        Btf btf = Btf.kernel();
        BtfMember ihl = btf.member("iphdr", "ihl");
        BtfMember version = btf.member("iphdr", "version");
        assertEquals(4, ihl.bitfieldSize());
        assertEquals(4, version.bitfieldSize());
        assertEquals(0, ihl.byteOffset());
        assertEquals(0, version.byteOffset());
        assertEquals(4, Math.abs(ihl.bitOffset() - version.bitOffset()));
        assertEquals(12, btf.member("iphdr", "saddr").byteOffset());
        assertEquals(20, btf.sizeOf(btf.typeId("iphdr", BtfKind.STRUCT)));
    }

    @Test
    void listsDropReasons() {
        BtfType.Enumeration reasons = Btf.kernel().enumeration("skb_drop_reason");
        Map<Long, String> names = reasons.namesByValue();
        assertEquals("SKB_DROP_REASON_NOT_SPECIFIED", names.get(reasons.value("SKB_DROP_REASON_NOT_SPECIFIED")));
        assertTrue(names.containsValue("SKB_DROP_REASON_NO_SOCKET"), names.toString());
        assertTrue(names.containsValue("SKB_DROP_REASON_PKT_TOO_SMALL"), names.toString());
        assertTrue(names.size() > 10, names.toString());
    }

    @Test
    void describesKfreeSkbTracepoint() {
        Btf btf = Btf.kernel();
        BtfTracepoint kfree = btf.tracepoint("kfree_skb");
        BtfType attach = btf.type(kfree.attachId());
        assertEquals(BtfKind.TYPEDEF, attach.kind());
        assertEquals("btf_trace_kfree_skb", attach.name());
        System.out.println("BTF: tracepoint " + kfree + " = " + kfree.args().stream()
                .map(a -> btf.describe(a.typeId()) + " " + a.name()).toList());

        assertEquals(0, kfree.argIndex("skb"));
        assertEquals(1, kfree.argIndex("location"));
        assertEquals(2, kfree.argIndex("reason"));
        assertEquals("struct sk_buff *", btf.describe(kfree.arg("skb").typeId()));
        BtfType reason = btf.resolve(kfree.arg("reason").typeId());
        assertEquals("skb_drop_reason", reason.name());
        assertInstanceOf(BtfType.Enumeration.class, reason);
    }

    @Test
    void findsThePacketPathTracepoints() {
        Btf btf = Btf.kernel();
        for (String name : List.of("net_dev_queue", "netif_receive_skb", "net_dev_xmit", "consume_skb")) {
            BtfTracepoint tp = btf.tracepoint(name);
            assertEquals("btf_trace_" + name, btf.type(tp.attachId()).name());
            assertEquals("skb", tp.args().getFirst().name(), tp.toString());
            assertEquals("struct sk_buff *", btf.describe(tp.args().getFirst().typeId()), tp.toString());
        }
    }

    @Test
    void findsFunctionsForFentry() {
        Btf btf = Btf.kernel();
        int id = btf.funcId("consume_skb");
        BtfType.Func func = assertInstanceOf(BtfType.Func.class, btf.type(id));
        BtfType.FuncProto proto = assertInstanceOf(BtfType.FuncProto.class, btf.type(func.protoId()));
        assertEquals("skb", proto.params().getFirst().name());
    }
}
