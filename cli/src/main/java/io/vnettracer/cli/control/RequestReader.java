package io.vnettracer.cli.control;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;

/**
 * Request lines from a control connection, never buffering more than {@link ControlProtocol#MAX_LINE}
 * bytes: a line that has not ended by then is a {@link TooLarge} instead of being read on (a
 * BufferedReader would keep reading a line without end into memory).
 */
final class RequestReader {
    /** A request longer than {@link ControlProtocol#MAX_LINE} bytes. */
    static final class TooLarge extends IOException {
        TooLarge() {
            super("request larger than " + ControlProtocol.MAX_LINE + " bytes");
        }
    }

    private final ReadableByteChannel in;
    private final ByteBuffer buffer = ByteBuffer.allocate(ControlProtocol.MAX_LINE);
    private int scanned;

    RequestReader(ReadableByteChannel in) {
        this.in = in;
    }

    /** The next line without its end (a last one may lack it), or null at the end of the stream. */
    String next() throws IOException {
        while (true) {
            for (int i = scanned; i < buffer.position(); i++) {
                if (buffer.get(i) == '\n') {
                    return take(i, i + 1);
                }
            }
            scanned = buffer.position();
            if (!buffer.hasRemaining()) {
                throw new TooLarge();
            }
            if (in.read(buffer) < 0) {
                return buffer.position() == 0 ? null : take(buffer.position(), buffer.position());
            }
        }
    }

    /** The bytes before {@code end} as a line; what follows {@code next} stays for the next line. */
    private String take(int end, int next) {
        String line = new String(buffer.array(), 0, end, StandardCharsets.UTF_8);
        buffer.flip().position(next);
        buffer.compact();
        scanned = 0;
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }
}
