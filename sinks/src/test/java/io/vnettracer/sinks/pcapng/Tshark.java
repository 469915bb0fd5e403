package io.vnettracer.sinks.pcapng;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs tshark on a file and returns its output; fails the test with tshark's own words. */
public final class Tshark {
    private Tshark() {}

    /** One tab-separated line per packet with {@code fields}, as {@code tshark -T fields} prints them. */
    public static List<String> fields(Path file, String... fields) throws Exception {
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-T", "fields"));
        for (String f : fields) {
            command.add("-e");
            command.add(f);
        }
        return run(command).lines().toList();
    }

    /**
     * The packets tshark finds malformed or flags with an expert error, with the expert's words;
     * empty when there are none.
     */
    public static String complaints(Path file) throws Exception {
        return run(List.of("tshark", "-n", "-r", file.toString(), "-Y", "_ws.malformed || _ws.expert.severity >= error",
                "-T", "fields", "-e", "frame.number", "-e", "_ws.expert.message")).strip();
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + err);
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
