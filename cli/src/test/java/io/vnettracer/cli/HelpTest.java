package io.vnettracer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Every command and subcommand answers --help: exit 0, its usage on stdout, nothing on stderr (a
 * description picocli cannot format, such as a bare '%', is a warning there).
 */
class HelpTest {
    @Test
    void everyCommandAnswersHelp() {
        List<List<String>> paths = new ArrayList<>();
        collect(Main.commandLine(), new ArrayList<>(), paths);
        assertTrue(paths.size() > 20, "commands found: " + paths);
        List<String> failures = new ArrayList<>();
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            PrintStream before = System.err;
            ByteArrayOutputStream stray = new ByteArrayOutputStream();
            CommandLineRun run;
            try {
                System.setErr(new PrintStream(stray, true, StandardCharsets.UTF_8));
                run = CommandLineRun.of(args.toArray(String[]::new));
            } finally {
                System.setErr(before);
            }
            String usage = "Usage: vnettracer" + (path.isEmpty() ? "" : " " + String.join(" ", path));
            if (run.exitCode() != 0 || !run.out().startsWith(usage) || !run.err().isEmpty() || stray.size() > 0) {
                failures.add(String.join(" ", args) + ": exit " + run.exitCode() + ", out '" + firstLine(run.out())
                        + "', err '" + run.err().strip() + stray.toString(StandardCharsets.UTF_8).strip() + "'");
            }
        }
        assertEquals(List.of(), failures);
    }

    private static void collect(CommandLine cl, List<String> path, List<List<String>> out) {
        out.add(List.copyOf(path));
        for (Map.Entry<String, CommandLine> sub : cl.getSubcommands().entrySet()) {
            if (!sub.getKey().equals(sub.getValue().getCommandName())) continue; // aliases
            if (sub.getValue().getCommand() instanceof CommandLine.HelpCommand) continue; // picocli's own 'help'; its --help is its own
            path.add(sub.getKey());
            collect(sub.getValue(), path, out);
            path.remove(path.size() - 1);
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
