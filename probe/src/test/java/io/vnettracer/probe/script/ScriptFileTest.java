package io.vnettracer.probe.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Script files that are not clean UTF-8 text: each refusal names the file, the line, the column and the problem. */
class ScriptFileTest {
    @TempDir
    Path dir;

    private Path file(String name, byte[]... parts) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.write(p);
        }
        return Files.write(dir.resolve(name), out.toByteArray());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static ScriptException refused(Path file) {
        return assertThrows(ScriptException.class, () -> ScriptParser.parse(file));
    }

    @Test
    void aLatin1ByteIsRefusedWithItsLineColumnAndOffset() throws Exception {
        // "probe café drops" written in ISO-8859-1: é is the single byte 0xe9.
        Path f = file("latin1.vnt", utf8("identity tag\n# path\nprobe caf"), new byte[] {(byte) 0xE9}, utf8(" drops\n"));
        ScriptException e = refused(f);
        assertEquals(f + ":3:10: not UTF-8: byte 0xe9 at byte offset 29; save the script as UTF-8", e.getMessage());
    }

    @Test
    void aByteOrderMarkAtTheStartIsSkipped() throws Exception {
        Path f = file("bom.vnt", new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8("identity tag\nprobe rx drops\n"));
        TracingScript s = ScriptParser.parse(f);
        assertEquals(IdentityMode.TAG, s.identity());
        assertEquals("rx", s.probes().get(0).name());
        ScriptException inside = refused(file("bom2.vnt", utf8("identity tag\nprobe rx \uFEFFdrops\n")));
        assertTrue(inside.getMessage().endsWith("bom2.vnt:2:10: a byte order mark (U+FEFF) inside the script; only the start"
                + " of a file may have one"), inside.getMessage());
    }

    @Test
    void aNulIsRefusedWithItsLineAndColumn() throws Exception {
        Path f = file("nul.vnt", utf8("identity tag\nprobe rx drops\0\n"));
        assertEquals(f + ":2:15: a NUL character (U+0000): a tracing script is text; is this a binary file?",
                refused(f).getMessage());
    }

    @Test
    void otherControlCharactersAreRefusedButTabAndCrlfAreBlanks() throws Exception {
        Path f = file("esc.vnt", utf8("probe rx drops # \u001b[31mred\n"));
        assertEquals(f + ":1:18: control character U+001B; a tracing script has none but tab", refused(f).getMessage());
        TracingScript crlf = ScriptParser.parse(file("crlf.vnt", utf8("identity tag\r\n\tprobe rx drops\r\n")));
        assertEquals(1, crlf.probes().size());
    }

    @Test
    void aBinaryFileIsSaidToBeOne() throws Exception {
        Path f = Files.copy(Path.of("/bin/true"), dir.resolve("true.vnt"));
        ScriptException e = refused(f);
        assertTrue(e.getMessage().startsWith(f + ":"), e.getMessage());
        assertTrue(e.getMessage().contains("not UTF-8: byte 0x") && e.getMessage().endsWith("this looks like a binary file, not a tracing script"),
                e.getMessage());
    }

    @Test
    void aFileOverTheSizeLimitIsRefusedBeforeItIsRead() throws Exception {
        Path f = file("big.vnt", utf8("#".repeat(ScriptParser.MAX_BYTES) + "\n"));
        assertEquals(f + ":1:1: the script is 1048577 bytes, over the limit of 1048576 bytes; is this a tracing script?",
                refused(f).getMessage());
    }

    @Test
    void textFromElsewhereIsHeldToTheSameRules() {
        ScriptException e = assertThrows(ScriptException.class, () -> ScriptParser.parse("probe rx\0 drops\n", "pushed"));
        assertEquals("pushed:1:9: a NUL character (U+0000): a tracing script is text; is this a binary file?", e.getMessage());
        assertEquals("rx", ScriptParser.parse("\uFEFFprobe rx drops\n", "pushed").probes().get(0).name());
    }
}
