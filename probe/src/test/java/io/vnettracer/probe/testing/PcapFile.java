package io.vnettracer.probe.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes packets as a classic pcap file (libpcap's format: a 24-byte header, then 16 bytes before each packet). */
public final class PcapFile {
    public static final int LINKTYPE_ETHERNET = 1;
    /** Raw IP: each packet starts at its IPv4 or IPv6 header. */
    public static final int LINKTYPE_RAW = 101;

    private PcapFile() {}

    /** Packet {@code i} gets timestamp i seconds; captured length equals the packet's length. */
    public static void write(Path file, int linkType, List<byte[]> packets) throws IOException {
        int size = 24 + packets.stream().mapToInt(p -> 16 + p.length).sum();
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(linkType);
        for (int i = 0; i < packets.size(); i++) {
            byte[] p = packets.get(i);
            b.putInt(i).putInt(0).putInt(p.length).putInt(p.length).put(p);
        }
        Files.write(file, b.array());
    }
}
