package io.vnettracer.bpf.netlink;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** Message layout: header, family header, attributes padded to 4, nested lengths; and reading it back. */
class MessageBuilderTest {
    @Test
    void laysOutHeaderFamilyHeaderAndPaddedAttributes() {
        try (Arena arena = Arena.ofConfined()) {
            MessageBuilder m = new MessageBuilder(arena.allocate(256, 8));
            m.begin(Rtnetlink.RTM_NEWTFILTER, Netlink.NLM_F_REQUEST | Netlink.NLM_F_CREATE);
            int tcm = m.reserve(Rtnetlink.TCMSG_SIZE);
            m.putInt(tcm + Rtnetlink.TCM_IFINDEX_OFFSET, 7);
            m.attribute(Rtnetlink.TCA_KIND, "bpf");          // 4 + 4 bytes ("bpf\0"), no padding
            int nest = m.beginNested(Rtnetlink.TCA_OPTIONS);
            m.attribute(6, 42);                               // 8 bytes
            m.attribute(7, "ab");                             // 4 + 3 -> padded to 8
            m.endNested(nest);
            int length = m.finish(99);

            MemorySegment s = m.message();
            assertEquals(16 + 20 + 8 + 4 + 8 + 8, length);
            assertEquals(length, s.get(JAVA_INT, 0));
            assertEquals(Rtnetlink.RTM_NEWTFILTER, s.get(JAVA_SHORT, 4));
            assertEquals(Netlink.NLM_F_REQUEST | Netlink.NLM_F_CREATE, s.get(JAVA_SHORT, 6));
            assertEquals(99, s.get(JAVA_INT, 8));
            assertEquals(7, s.get(JAVA_INT, 16 + 4));
            assertEquals(8, s.get(JAVA_SHORT, 36));                     // TCA_KIND length: header + "bpf\0"
            assertEquals(0, s.get(JAVA_BYTE, 36 + 4 + 3));             // NUL terminator
            assertEquals(4 + 8 + 8, s.get(JAVA_SHORT, 44));              // nest covers both children
            assertEquals(Rtnetlink.TCA_OPTIONS | Netlink.NLA_F_NESTED, Short.toUnsignedInt(s.get(JAVA_SHORT, 46)));
            assertEquals(7, s.get(JAVA_SHORT, 56));                     // "ab\0" attribute: 7 bytes, padded to 8

            Attributes attrs = Attributes.parse(s, 36, length);
            assertEquals("bpf", attrs.string(Rtnetlink.TCA_KIND));
            Attributes options = attrs.nested(Rtnetlink.TCA_OPTIONS);
            assertEquals(42, options.u32(6));
            assertEquals("ab", options.string(7));
            assertFalse(options.has(8));
            assertEquals(-5, options.u32(8, -5));
        }
    }

    @Test
    void beginForgetsThePreviousMessage() {
        try (Arena arena = Arena.ofConfined()) {
            MessageBuilder m = new MessageBuilder(arena.allocate(256, 8));
            m.begin(1, 0).attribute(1, "a long string attribute");
            m.begin(2, 0);
            assertEquals(Netlink.NLMSG_HDRLEN, m.length());
            int at = m.reserve(Rtnetlink.TCMSG_SIZE);
            for (int i = 0; i < Rtnetlink.TCMSG_SIZE; i++) {
                assertEquals(0, m.message().get(JAVA_BYTE, at + i), "byte " + i + " of the family header");
            }
        }
    }

    @Test
    void refusesToOverflowItsBuffer() {
        try (Arena arena = Arena.ofConfined()) {
            MessageBuilder m = new MessageBuilder(arena.allocate(32, 8));
            m.begin(1, 0);
            assertThrows(IllegalStateException.class, () -> m.attribute(1, "more than sixteen bytes"));
        }
    }

    @Test
    void rejectsAnAttributeRunningPastTheEnd() {
        MemorySegment s = MemorySegment.ofArray(new int[4]);
        s.set(JAVA_SHORT, 0, (short) 40);
        s.set(JAVA_SHORT, 2, (short) 1);
        assertThrows(IllegalArgumentException.class, () -> Attributes.parse(s, 0, 16));
    }

    @Test
    void alignsToFourBytes() {
        assertEquals(0, Netlink.align(0));
        assertEquals(4, Netlink.align(1));
        assertEquals(8, Netlink.align(7));
        assertEquals(8, Netlink.align(8));
        assertTrue(Netlink.NLA_TYPE_MASK == 0x3FFF);
    }
}
