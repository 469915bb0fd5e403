package io.vnettracer.probe.identity;

/**
 * The UDP tag trailer: the id and its ones' complement, both in network order, after the UDP
 * datagram. The pair sums to zero in ones'-complement arithmetic whatever its alignment, so a
 * checksum computed over it (a CHECKSUM_PARTIAL skb's UDP checksum is computed up to the end of the
 * skb) comes out as without it.
 */
public final class TagTrailer {
    /** Bytes the trailer adds to a packet. */
    public static final int LENGTH = 8;

    private TagTrailer() {}

    /** The trailer's bytes for {@code id}. */
    public static byte[] bytes(int id) {
        int inverse = ~id;
        return new byte[] {
            (byte) (id >>> 24), (byte) (id >>> 16), (byte) (id >>> 8), (byte) id,
            (byte) (inverse >>> 24), (byte) (inverse >>> 16), (byte) (inverse >>> 8), (byte) inverse,
        };
    }

    /** The id of a trailer found at {@code offset}, or 0 if the eight bytes there are not one. */
    public static int idAt(byte[] packet, int offset) {
        if (offset < 0 || offset + LENGTH > packet.length) {
            return 0;
        }
        int id = readInt(packet, offset);
        return id != 0 && readInt(packet, offset + 4) == ~id ? id : 0;
    }

    private static int readInt(byte[] b, int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }
}
