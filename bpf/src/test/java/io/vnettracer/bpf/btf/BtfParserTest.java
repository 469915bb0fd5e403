package io.vnettracer.bpf.btf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The parser against small blobs written by hand from the documented encoding. */
class BtfParserTest {
    // BTF_KIND_* numbers from include/uapi/linux/btf.h, spelled out here on purpose.
    private static final int INT = 1, PTR = 2, ARRAY = 3, STRUCT = 4, UNION = 5, ENUM = 6, FWD = 7,
            TYPEDEF = 8, VOLATILE = 9, CONST = 10, RESTRICT = 11, FUNC = 12, FUNC_PROTO = 13, VAR = 14,
            DATASEC = 15, FLOAT = 16, DECL_TAG = 17, TYPE_TAG = 18, ENUM64 = 19;
    private static final int SIGNED = 1 << 24; // BTF_INT_SIGNED in the encoding bits of the INT word

    /** One type of every kind; type ids are 1 + the order of the type() calls. */
    static BtfBlobBuilder sampleBuilder() {
        BtfBlobBuilder b = new BtfBlobBuilder();
        b.type(b.string("int"), INT, 0, false, 4);                        // 1
        b.words(SIGNED | 32);
        b.type(0, UNION, 2, false, 4);                                    // 2: union { int a; int b; }
        b.words(b.string("a"), 1, 0, b.string("b"), 1, 0);
        b.type(b.string("s"), STRUCT, 4, true, 12);                       // 3: struct s
        b.words(0, 2, 0);                                                 //    anonymous union at bit 0
        b.words(b.string("flags"), 1, 3 << 24 | 32);                      //    int flags:3 at bit 32
        b.words(b.string("mode"), 1, 5 << 24 | 35);                       //    int mode:5 at bit 35
        b.words(b.string("tail"), 1, 64);                                 //    int tail at bit 64
        b.type(b.string("color"), ENUM, 3, true, 4);                      // 4: signed enum color
        b.words(b.string("RED"), 1, b.string("BLUE"), 2, b.string("NEG"), -1);
        b.type(b.string("u32_t"), TYPEDEF, 0, false, 6);                  // 5: typedef const my_int u32_t
        b.type(0, CONST, 0, false, 7);                                    // 6
        b.type(b.string("my_int"), TYPEDEF, 0, false, 1);                 // 7
        b.type(0, PTR, 0, false, 3);                                      // 8: struct s *
        b.type(0, FUNC_PROTO, 2, false, 1);                               // 9: int (struct s *x, u32_t n)
        b.words(b.string("x"), 8, b.string("n"), 5);
        b.type(b.string("fn"), FUNC, 1, false, 9);                        // 10: global function fn
        b.type(b.string("big"), ENUM64, 2, false, 8);                     // 11: unsigned enum64 big
        b.words(b.string("HUGE"), 2, 1, b.string("ALL_ONES"), -1, -1);
        b.type(b.string("u3"), INT, 0, false, 1);                         // 12: 3-bit int for old-style bitfields
        b.words(3);
        b.type(b.string("old"), STRUCT, 2, false, 4);                     // 13: bitfields without kind_flag
        b.words(b.string("lo"), 12, 0, b.string("hi"), 12, 3);
        b.type(0, ARRAY, 0, false, 0);                                    // 14: int[4]
        b.words(1, 1, 4);
        b.type(0, PTR, 0, false, 0);                                      // 15: void *
        b.type(0, FUNC_PROTO, 3, false, 0);                               // 16: void (void *, struct s *, enum color)
        b.words(0, 15, 0, 8, 0, 4);
        b.type(0, PTR, 0, false, 16);                                     // 17
        b.type(b.string("btf_trace_demo"), TYPEDEF, 0, false, 17);        // 18
        b.type(0, FUNC_PROTO, 3, false, 0);                               // 19: the same, with names
        b.words(b.string("__data"), 15, b.string("skb"), 8, b.string("reason"), 4);
        b.type(b.string("__probestub_demo"), FUNC, 0, false, 19);         // 20
        b.type(b.string("fwd_u"), FWD, 0, true, 0);                       // 21: union fwd_u;
        b.type(0, VOLATILE, 0, false, 1);                                 // 22
        b.type(0, RESTRICT, 0, false, 8);                                 // 23
        b.type(b.string("double"), FLOAT, 0, false, 8);                   // 24
        b.type(b.string("counter"), VAR, 0, false, 1);                    // 25
        b.words(1);
        b.type(b.string(".data"), DATASEC, 1, false, 4);                  // 26
        b.words(25, 0, 4);
        b.type(b.string("tagged"), DECL_TAG, 0, false, 3);                // 27
        b.words(-1);
        b.type(b.string("user"), TYPE_TAG, 0, false, 3);                  // 28
        b.type(0, PTR, 0, false, 28);                                     // 29
        b.type(b.string("outer"), STRUCT, 2, false, 16);                  // 30: struct outer { int pad; s_t in; }
        b.words(b.string("pad"), 1, 0, b.string("in"), 31, 32);
        b.type(b.string("s_t"), TYPEDEF, 0, false, 3);                    // 31
        return b;
    }

    static byte[] sampleBlob(ByteOrder order) {
        return sampleBuilder().build(order);
    }

    private static Btf sample() {
        return Btf.parse(sampleBlob(ByteOrder.LITTLE_ENDIAN));
    }

    @Test
    void decodesIntsAndIds() {
        Btf btf = sample();
        assertEquals(1, btf.firstTypeId());
        assertEquals(32, btf.nextTypeId());
        BtfType.Int i = assertInstanceOf(BtfType.Int.class, btf.type(1));
        assertEquals("int", i.name());
        assertEquals(4, i.size());
        assertEquals(32, i.bits());
        assertTrue(i.isSigned());
        assertEquals(BtfKind.VOID, btf.type(0).kind());
        BtfException e = assertThrows(BtfException.class, () -> btf.type(32));
        assertTrue(e.getMessage().contains("no BTF type with id 32"), e.getMessage());
    }

    @Test
    void findsMembersThroughAnonymousUnionsWithBitfields() {
        Btf btf = sample();
        BtfType.Struct s = btf.struct("s");
        assertEquals(12, s.size());
        assertTrue(s.members().stream().noneMatch(m -> m.name().equals("a")), "a is not a direct member");

        assertEquals(new BtfMember("a", 1, 0, 0), btf.member("s", "a"));
        assertEquals(new BtfMember("b", 1, 0, 0), btf.member("s", "b"));
        BtfMember flags = btf.member("s", "flags");
        assertEquals(32, flags.bitOffset());
        assertEquals(4, flags.byteOffset());
        assertEquals(3, flags.bitfieldSize());
        assertTrue(flags.isBitfield());
        BtfMember mode = btf.member("s", "mode");
        assertEquals(35, mode.bitOffset());
        assertEquals(5, mode.bitfieldSize());
        BtfMember tail = btf.member("s", "tail");
        assertEquals(8, tail.byteOffset());
        assertFalse(tail.isBitfield());

        // Without kind_flag the INT's own width makes the bitfield.
        assertEquals(new BtfMember("hi", 12, 3, 3), btf.member("old", "hi"));
    }

    @Test
    void followsMemberPathsThroughTypedefsAndAnonymousMembers() {
        Btf btf = sample();
        assertEquals(new BtfMember("in.mode", 1, 32 + 35, 5), btf.member("outer", "in.mode"));
        assertEquals(new BtfMember("in.b", 1, 32, 0), btf.member("outer", "in.b"));
        assertEquals(4, btf.member("outer", "in").byteOffset());
    }

    @Test
    void namesWhatIsMissing() {
        Btf btf = sample();
        assertEquals("struct s has no member 'nope'",
                assertThrows(BtfException.class, () -> btf.member("s", "nope")).getMessage());
        assertEquals("struct outer has no member 'in.nope': 'in' is struct s, which has no member 'nope'",
                assertThrows(BtfException.class, () -> btf.member("outer", "in.nope")).getMessage());
        assertEquals("struct outer has no member 'pad.x': 'pad' is int, not a struct or union",
                assertThrows(BtfException.class, () -> btf.member("outer", "pad.x")).getMessage());
        assertTrue(assertThrows(BtfException.class, () -> btf.struct("nope")).getMessage()
                .endsWith("has no STRUCT named 'nope'"));
        assertEquals("enum color has no value 'GREEN'",
                assertThrows(BtfException.class, () -> btf.enumeration("color").value("GREEN")).getMessage());
        assertTrue(assertThrows(BtfException.class, () -> btf.tracepoint("nope")).getMessage()
                .contains("has no typedef btf_trace_nope"));
    }

    @Test
    void readsEnumsBothWays() {
        Btf btf = sample();
        BtfType.Enumeration color = btf.enumeration("color");
        assertTrue(color.signed());
        assertEquals(1, color.value("RED"));
        assertEquals(-1, color.value("NEG"));
        assertEquals(Map.of(1L, "RED", 2L, "BLUE", -1L, "NEG"), color.namesByValue());
        BtfType.Enumeration big = btf.enumeration("big");
        assertEquals(BtfKind.ENUM64, big.kind());
        assertEquals(0x1_0000_0002L, big.value("HUGE"));
        assertEquals(0xffff_ffff_ffff_ffffL, big.value("ALL_ONES"));
        assertEquals(8, btf.sizeOf(big.id()));
    }

    @Test
    void resolvesTypedefChainsAndSizes() {
        Btf btf = sample();
        assertEquals(1, btf.resolveId(5));
        assertEquals("int", btf.resolve(5).name());
        assertEquals(4, btf.sizeOf(5));
        assertEquals(12, btf.sizeOf(3));
        assertEquals(16, btf.sizeOf(14));
        assertEquals(8, btf.sizeOf(8));
        assertEquals(16, btf.sizeOf(btf.typeId("outer", BtfKind.STRUCT)));
        assertThrows(BtfException.class, () -> btf.sizeOf(0));
        assertThrows(BtfException.class, () -> btf.sizeOf(10));
        assertEquals(List.of(btf.type(5)), btf.typesByName("u32_t"));
        assertTrue(btf.findType("u32_t", BtfKind.STRUCT).isEmpty());
    }

    @Test
    void readsFunctionsAndTracepoints() {
        Btf btf = sample();
        assertEquals(10, btf.funcId("fn"));
        BtfType.Func fn = (BtfType.Func) btf.type(10);
        assertEquals(BtfType.LINKAGE_GLOBAL, fn.linkage());
        BtfType.FuncProto proto = (BtfType.FuncProto) btf.type(fn.protoId());
        assertEquals(1, proto.returnTypeId());
        assertEquals(List.of(new BtfType.Param("x", 8), new BtfType.Param("n", 5)), proto.params());
        assertFalse(proto.isVariadic());
        assertEquals("int (struct s *, u32_t)", btf.describe(9));

        BtfTracepoint demo = btf.tracepoint("demo");
        assertEquals(18, demo.attachId());
        assertEquals(List.of(new BtfType.Param("skb", 8), new BtfType.Param("reason", 4)), demo.args());
        assertEquals(1, demo.argIndex("reason"));
    }

    @Test
    void decodesTheRemainingKinds() {
        Btf btf = sample();
        assertTrue(((BtfType.Fwd) btf.type(21)).isUnion());
        assertEquals(1, ((BtfType.Volatile) btf.type(22)).targetId());
        assertEquals(8, ((BtfType.Restrict) btf.type(23)).targetId());
        assertEquals(8, ((BtfType.Float) btf.type(24)).size());
        assertEquals(new BtfType.Var(25, "counter", 1, 1), btf.type(25));
        assertEquals(List.of(new BtfType.SectionVar(25, 0, 4)), ((BtfType.Datasec) btf.type(26)).vars());
        assertEquals(new BtfType.DeclTag(27, "tagged", 3, -1), btf.type(27));
        assertEquals(new BtfType.TypeTag(28, "user", 3), btf.type(28));
        assertEquals("struct s user *", btf.describe(29));
        assertEquals(new BtfType.Array(14, 1, 1, 4), btf.type(14));
        assertEquals("int[4]", btf.describe(14));
        assertEquals(4, btf.sizeOf(25));
    }

    @Test
    void readsBigEndianBlobs() {
        Btf btf = Btf.parse(sampleBlob(ByteOrder.BIG_ENDIAN));
        assertEquals(new BtfMember("in.mode", 1, 67, 5), btf.member("outer", "in.mode"));
        assertEquals(0x1_0000_0002L, btf.enumeration("big").value("HUGE"));
    }

    @Test
    void readsSplitBtfOverItsBase() {
        BtfBlobBuilder baseBuilder = sampleBuilder();
        Btf base = Btf.parse(baseBuilder.build());
        BtfBlobBuilder b = new BtfBlobBuilder(baseBuilder.stringLength());
        b.type(b.string("mod_s"), STRUCT, 2, false, 8);                   // 32: struct mod_s { int tail; u32_t counted; }
        b.words(baseBuilder.string("tail"), 1, 0, b.string("counted"), 5, 32); // "tail" is a base string
        b.type(0, PTR, 0, false, 32);                                     // 33
        Btf module = Btf.parse(b.build(), base);
        assertEquals(32, module.firstTypeId());
        assertEquals(34, module.nextTypeId());
        assertEquals(base.type(1), module.type(1));
        assertEquals(new BtfMember("counted", 5, 32, 0), module.member("mod_s", "counted"));
        assertEquals(8, module.sizeOf(33));
        assertEquals("struct mod_s *", module.describe(33));
        assertEquals(List.of(base.type(3)), module.typesByName("s"));
        assertEquals(new BtfMember("tail", 1, 0, 0), module.member("mod_s", "tail"));
        assertEquals(List.of(module.type(32)), module.typesByName("mod_s"));
        assertTrue(base.typesByName("mod_s").isEmpty());
    }

    @Test
    void rejectsMalformedBlobs() {
        byte[] good = sampleBlob(ByteOrder.LITTLE_ENDIAN);
        byte[] badMagic = good.clone();
        badMagic[0] = 0x12;
        assertTrue(assertThrows(BtfException.class, () -> Btf.parse(badMagic)).getMessage().contains("not BTF"));

        byte[] badKind = good.clone();
        badKind[24 + 7] = 25; // the first type's info word, kind byte (little-endian): kind 25 does not exist
        assertTrue(assertThrows(BtfException.class, () -> Btf.parse(badKind)).getMessage()
                .contains("unknown BTF kind 25"));

        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 10);
        assertThrows(BtfException.class, () -> Btf.parse(truncated));
        assertThrows(BtfException.class, () -> Btf.parse(new byte[8]));
    }
}
