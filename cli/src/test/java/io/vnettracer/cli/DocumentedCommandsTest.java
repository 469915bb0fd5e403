package io.vnettracer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every {@code vnettracer} command line shown in a code block of README.md and docs/*.md parses:
 * its subcommands and options exist and take the values shown (nothing runs). Lines that stand for
 * more ("...same options...") are left out.
 */
class DocumentedCommandsTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();

    @Test
    void everyDocumentedCommandParses() throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(ROOT.resolve("README.md"));
        try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<String> failures = new ArrayList<>();
        int parsed = 0;
        for (Path file : files) {
            for (String command : commands(Files.readAllLines(file))) {
                List<String> args = words(command);
                int at = args.indexOf("./vnettracer");
                if (at < 0) at = args.indexOf("vnettracer");
                if (at < 0) continue;
                List<String> rest = args.subList(at + 1, args.size());
                if (rest.isEmpty() || rest.stream().anyMatch(w -> w.contains("...") || w.equals("|") || w.equals(">")
                        || w.equals("&") || w.equals("&&") || w.startsWith("#"))) {
                    rest = cut(rest);
                }
                if (rest.isEmpty() || rest.stream().anyMatch(w -> w.contains("..."))) continue;
                // Output shown in a block ("vnettracer trace: 7 s, ...") or prose, not a command line.
                if (!rest.get(0).startsWith("-") && !Main.commandLine().getSubcommands().containsKey(rest.get(0))) continue;
                if (rest.stream().limit(3).anyMatch(w -> w.endsWith(":"))) continue; // "vnettracer lab down: the state file ..."
                // A synopsis ("[--duration 30s]", "record|aggregate") shows the grammar, not a command.
                if (command.contains(" [") || command.contains("|")) continue;
                try {
                    Main.commandLine().parseArgs(rest.toArray(String[]::new));
                    parsed++;
                } catch (CommandLine.ParameterException e) {
                    failures.add(ROOT.relativize(file) + ": " + command.strip() + "\n    " + e.getMessage());
                }
            }
        }
        assertTrue(parsed > 20, "documented commands found: " + parsed);
        assertEquals("", String.join("\n", failures));
    }

    /** The words before a comment, a pipe, a redirection or a background '&'. */
    private static List<String> cut(List<String> words) {
        List<String> out = new ArrayList<>();
        for (String w : words) {
            if (w.startsWith("#") || w.equals("|") || w.equals(">") || w.equals("&") || w.equals("&&")) break;
            out.add(w);
        }
        return out;
    }

    /** Lines of fenced code blocks that run vnettracer, continuation lines ('\') joined. */
    static List<String> commands(List<String> lines) {
        List<String> out = new ArrayList<>();
        boolean code = false;
        StringBuilder pending = null;
        for (String line : lines) {
            if (line.strip().startsWith("```")) {
                code = !code;
                pending = null;
                continue;
            }
            if (!code) continue;
            String l = line.strip();
            if (pending != null) {
                pending.append(' ').append(l.endsWith("\\") ? l.substring(0, l.length() - 1) : l);
                if (!l.endsWith("\\")) {
                    out.add(pending.toString());
                    pending = null;
                }
                continue;
            }
            if (!(l.startsWith("./vnettracer ") || l.startsWith("sudo ./vnettracer ") || l.startsWith("vnettracer ")
                    || l.startsWith("sudo vnettracer ") || l.startsWith("$ vnettracer ") || l.startsWith("# vnettracer "))) continue;
            // A synopsis ("vnettracer trace [--script FILE] ...") shows the grammar, not a command.
            if (l.contains(" [") || l.contains("|")) continue;
            if (l.endsWith("\\")) {
                pending = new StringBuilder(l.substring(0, l.length() - 1));
            } else {
                out.add(l);
            }
        }
        return out;
    }

    /** Shell words: blanks split, single and double quotes group. */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder w = null;
        char quote = 0;
        for (char c : line.toCharArray()) {
            if (quote != 0) {
                if (c == quote) quote = 0;
                else w.append(c);
            } else if (c == '"' || c == '\'') {
                quote = c;
                if (w == null) w = new StringBuilder();
            } else if (Character.isWhitespace(c)) {
                if (w != null) out.add(w.toString());
                w = null;
            } else {
                if (w == null) w = new StringBuilder();
                w.append(c);
            }
        }
        if (w != null) out.add(w.toString());
        return out;
    }
}
