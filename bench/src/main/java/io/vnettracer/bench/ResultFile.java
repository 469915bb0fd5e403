package io.vnettracer.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prints a benchmark's table and keeps it as bench-results/NAME-TIME.json, with what it ran on. */
final class ResultFile {
    private ResultFile() {}

    /**
     * @param settings what the run was given and what it found (sizes, rates, limits): written as they are
     */
    static void report(String name, String command, List<Samples> figures, Map<String, Object> settings) throws IOException {
        System.out.println();
        System.out.println("command: " + command);
        System.out.println(Samples.header());
        figures.forEach(s -> System.out.println(s.row()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("benchmark", name);
        out.put("command", command);
        out.put("time", Instant.now().toString());
        out.put("kernel", Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip());
        out.put("cpus", Runtime.getRuntime().availableProcessors());
        out.put("java", Runtime.version().toString());
        out.put("settings", settings);
        out.put("figures", figures.stream().map(Samples::toJson).toList());
        Path dir = Path.of("bench-results");
        Files.createDirectories(dir);
        Path file = dir.resolve(name + "-" + Instant.now().toString().replace(':', '-') + ".json");
        Files.writeString(file, JsonOut.write(out));
        System.out.println("\nresult written to " + file);
    }
}
