package io.vnettracer.probe.script;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A script's bytes as text, and the characters no script has: refused with the file, line and
 * column (and for bytes that are not UTF-8 the byte offset), so that a binary file, a file in
 * another encoding or one with a stray NUL says where and what instead of failing further on.
 */
final class ScriptText {
    static final char BYTE_ORDER_MARK = '\uFEFF';

    private ScriptText() {}

    /** Strict UTF-8: the first malformed or unmappable sequence is refused where it is. */
    static String decode(byte[] bytes, String source) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            int at = in.position();
            out.flip();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < out.length(); i++) {
                if (out.charAt(i) == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            int column = out.length() - lineStart + 1;
            StringBuilder seq = new StringBuilder();
            for (int i = at; i < Math.min(bytes.length, at + Math.max(1, result.length())); i++) {
                seq.append(seq.isEmpty() ? "" : " ").append(String.format("0x%02x", bytes[i] & 0xFF));
            }
            throw new ScriptException(source, line, column, "not UTF-8: byte " + seq + " at byte offset " + at
                    + (looksBinary(bytes) ? "; this looks like a binary file, not a tracing script"
                            : "; save the script as UTF-8"));
        }
        decoder.flush(out);
        out.flip();
        return out.toString();
    }

    static String withoutByteOrderMark(String text) {
        return !text.isEmpty() && text.charAt(0) == BYTE_ORDER_MARK ? text.substring(1) : text;
    }

    /** Refuses NUL and the other control characters; tab and carriage return (CRLF files) are blanks. */
    static void refuseControlCharacters(String line, String source, int lineNumber) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\t' || c == '\r' || !(c < 0x20 || (c >= 0x7F && c <= 0x9F) || c == BYTE_ORDER_MARK)) {
                continue;
            }
            String what = c == 0 ? "a NUL character (U+0000): a tracing script is text; is this a binary file?"
                    : c == BYTE_ORDER_MARK ? "a byte order mark (U+FEFF) inside the script; only the start of a file may have one"
                    : String.format("control character U+%04X; a tracing script has none but tab", (int) c);
            throw new ScriptException(source, lineNumber, i + 1, what);
        }
    }

    /** A NUL among the first bytes, as in nearly every binary format and no text. */
    private static boolean looksBinary(byte[] bytes) {
        for (int i = 0; i < Math.min(bytes.length, 8192); i++) {
            if (bytes[i] == 0) {
                return true;
            }
        }
        return false;
    }
}
