package io.vnettracer.sinks.pcapng;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The three pcapng blocks a trace needs (draft-ietf-opsawg-pcapng): a Section Header, an Interface
 * Description per probe and an Enhanced Packet Block per record, written little-endian into a
 * caller's buffer. Blocks and options are padded to 32 bits; every block ends with its length
 * repeated, so readers can walk backwards. Allocation-free.
 */
final class PcapngBlocks {
    static final int SECTION_HEADER = 0x0A0D0D0A;
    static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    static final int INTERFACE_DESCRIPTION = 1;
    static final int ENHANCED_PACKET = 6;
    /** LINKTYPE_RAW: the packet starts with its IPv4 or IPv6 header. */
    static final int LINKTYPE_RAW = 101;

    static final int OPT_END = 0;
    static final int OPT_COMMENT = 1;
    static final int SHB_USERAPPL = 4;
    static final int IF_NAME = 2;
    static final int IF_DESCRIPTION = 3;
    static final int IF_TSRESOL = 9;
    /** if_tsresol 9: timestamps count 10^-9 s. */
    static final int NANOSECONDS = 9;

    private PcapngBlocks() {}

    /** A buffer in the byte order these blocks are written in. */
    static ByteBuffer buffer(int bytes) {
        return ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A Section Header of unknown length (-1: the file is written as it goes) naming the writer. */
    static void sectionHeader(ByteBuffer out, byte[] userApplication) {
        int start = beginBlock(out, SECTION_HEADER);
        out.putInt(BYTE_ORDER_MAGIC).putShort((short) 1).putShort((short) 0).putLong(-1L);
        option(out, SHB_USERAPPL, userApplication);
        endBlock(out, start);
    }

    /** An interface of raw IP packets, no snap length, nanosecond timestamps. */
    static void interfaceDescription(ByteBuffer out, byte[] name, byte[] description) {
        int start = beginBlock(out, INTERFACE_DESCRIPTION);
        out.putShort((short) LINKTYPE_RAW).putShort((short) 0).putInt(0);
        option(out, IF_NAME, name);
        option(out, IF_DESCRIPTION, description);
        out.putShort((short) IF_TSRESOL).putShort((short) 1).put((byte) NANOSECONDS).put((byte) 0).putShort((short) 0);
        endBlock(out, start);
    }

    /**
     * Starts an Enhanced Packet Block; the packet's bytes follow at the buffer's position, then
     * {@link #endPacketData}. Returns the block's start for the calls after.
     */
    static int beginPacket(ByteBuffer out, int interfaceId, long timestamp, int originalLength) {
        int start = beginBlock(out, ENHANCED_PACKET);
        out.putInt(interfaceId).putInt((int) (timestamp >>> 32)).putInt((int) timestamp)
                .putInt(0).putInt(originalLength);
        return start;
    }

    /** Sets the captured length to the bytes written since {@link #beginPacket} and pads them. */
    static void endPacketData(ByteBuffer out, int start) {
        int captured = out.position() - (start + 28);
        out.putInt(start + 20, captured);
        pad(out);
    }

    /** Starts an option whose value is written next; returns where its length goes. */
    static int beginOption(ByteBuffer out, int code) {
        out.putShort((short) code);
        int lengthAt = out.position();
        out.putShort((short) 0);
        return lengthAt;
    }

    static void endOption(ByteBuffer out, int lengthAt) {
        out.putShort(lengthAt, (short) (out.position() - lengthAt - 2));
        pad(out);
    }

    /** Ends the options with opt_endofopt and the block with its total length, written twice. */
    static void endBlock(ByteBuffer out, int start) {
        out.putShort((short) OPT_END).putShort((short) 0);
        int total = out.position() - start + 4;
        out.putInt(total);
        out.putInt(start + 4, total);
    }

    private static int beginBlock(ByteBuffer out, int type) {
        int start = out.position();
        out.putInt(type).putInt(0);
        return start;
    }

    private static void option(ByteBuffer out, int code, byte[] value) {
        int lengthAt = beginOption(out, code);
        out.put(value);
        endOption(out, lengthAt);
    }

    private static void pad(ByteBuffer out) {
        while ((out.position() & 3) != 0) {
            out.put((byte) 0);
        }
    }
}
