package io.vnettracer.probe.script;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Property: any script, random words or the documented example with words inserted, deleted or
 * replaced, or its bytes damaged, gives either a parsed script or a {@link ScriptException} whose
 * message starts with the file, line and column; nothing else is thrown. The seed is printed with
 * a failure; -Dproperty.seed=N replays it.
 */
class ScriptPropertyTest {
    private static final int TRIES = 2_000;
    private static final String EXAMPLE = """
            # the path of one UDP flow from vm0's application to the switch
            identity tag                      # or fingerprint (the default)
            filter udp and port 11111         # the global filter: the rest of the line
            probe app_tx   sock:vm0:send
            probe vm0_out  dev:vm0/eth0:egress   actions record,count   sample 1/10 tag read
            probe switch   dev:br0:egress      filter "udp and dst port 11111"
            probe lost     drops:vm0
            probe k kernel:net_dev_queue:vm0/eth0 actions histogram sample 7
            """;
    private static final String[] WORDS = {
            "probe", "identity", "filter", "tag", "fingerprint", "actions", "sample", "record,count", "histogram", ",",
            "record,,count", "1/0", "1/10", "0", "-1", "2147483648", "1/", "write", "strip", "read", "dev:", "dev:a:b:c:d",
            "sock::send", "kernel:", "drops:", "drops", "dev:lo:ingress", "\"", "\"udp", "\"\"", "\\\"", "#", "x".repeat(70),
            "a=b", "udp and (", "not ".repeat(200) + "tcp", "\t", "\r", "\0", "\u001b", "\uFEFF", "é", "\uD800", "\n",
    };

    @TempDir
    Path dir;

    private static long seed() {
        String given = System.getProperty("property.seed");
        return given != null ? Long.parseLong(given) : new SplittableRandom().nextLong();
    }

    private static String text(SplittableRandom random) {
        if (random.nextInt(4) == 0) {
            StringBuilder b = new StringBuilder();
            for (int i = random.nextInt(30); i > 0; i--) {
                b.append(WORDS[random.nextInt(WORDS.length)]).append(random.nextInt(3) == 0 ? "\n" : " ");
            }
            return b.toString();
        }
        List<String> words = new ArrayList<>(List.of(EXAMPLE.split(" ", -1)));
        for (int i = 1 + random.nextInt(4); i > 0; i--) {
            int at = random.nextInt(words.size());
            String word = WORDS[random.nextInt(WORDS.length)];
            switch (random.nextInt(3)) {
                case 0 -> words.add(at, word);
                case 1 -> words.remove(at);
                default -> words.set(at, word);
            }
            if (words.isEmpty()) {
                words.add("");
            }
        }
        return String.join(" ", words);
    }

    /** The text's UTF-8 bytes, sometimes with bytes changed or random ones in between. */
    private static byte[] bytes(SplittableRandom random, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (random.nextBoolean()) {
            for (int i = 1 + random.nextInt(3); i > 0 && b.length > 0; i--) {
                b[random.nextInt(b.length)] = (byte) random.nextInt(256);
            }
        }
        return b;
    }

    @Test
    void anyScriptParsesOrIsRefusedWithItsPlace() throws Exception {
        long seed = seed();
        SplittableRandom random = new SplittableRandom(seed);
        Path file = dir.resolve("p.vnt");
        int parsed = 0;
        for (int i = 0; i < TRIES; i++) {
            String text = text(random);
            boolean fromFile = random.nextInt(3) == 0;
            byte[] bytes = fromFile ? bytes(random, text) : null;
            try {
                try {
                    if (fromFile) {
                        Files.write(file, bytes);
                        ScriptParser.parse(file);
                    } else {
                        ScriptParser.parse(text, "p.vnt");
                    }
                    parsed++;
                } catch (ScriptException e) {
                    String where = (fromFile ? file.toString() : "p.vnt") + ":" + e.line() + ":" + e.column() + ": ";
                    assertTrue(e.getMessage().startsWith(where) && e.line() >= 1 && e.column() >= 1, e.getMessage());
                    assertTrue(!e.problem().isBlank(), e.getMessage());
                }
            } catch (Throwable t) {
                fail("seed " + seed + ", try " + i + ": " + (fromFile ? "bytes " + HexFormat.of().formatHex(bytes)
                        : "text '" + text + "'") + ": " + t, t);
            }
        }
        assertTrue(parsed > TRIES / 20, "valid scripts among the inputs: " + parsed);
    }
}
