package io.vnettracer.sinks.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The hand-written demo directory under src/test/resources/report: two studies as in the paper
 * (congestion in the virtual switch with cases I-III; a CPU-bound neighbour, alone and shared),
 * with per-message logs drawn from each case's percentiles (case I has more messages than a
 * timeline panel draws), three runs of cases I and II, and a diagnosis in cases III and shared,
 * copied into a test's own directory so a test may break it.
 */
final class ReportFixtures {
    static final List<String> FILES = List.of("demo.json", "switch-congestion-I.json", "switch-congestion-II.json",
            "switch-congestion-III.json", "cpu-contention-alone.json", "cpu-contention-shared.json",
            "switch-congestion-I-sockperf-messages.csv", "switch-congestion-II-sockperf-messages.csv",
            "switch-congestion-III-sockperf-messages.csv", "cpu-contention-alone-sockperf-messages.csv",
            "cpu-contention-shared-sockperf-messages.csv");
    static final String MEASURED_FLOW = "udp 10.0.0.1:5000 > 10.0.0.3:11111";

    private ReportFixtures() {}

    static Path copyTo(Path dir) {
        for (String name : FILES) {
            try (InputStream in = ReportFixtures.class.getResourceAsStream("/report/" + name)) {
                if (in == null) {
                    throw new IllegalStateException("test resource report/" + name + " is missing");
                }
                Files.copy(in, dir.resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    /** Replaces the first occurrence of {@code from} in one of the copied files. */
    static void edit(Path dir, String file, String from, String to) {
        try {
            Path path = dir.resolve(file);
            String text = Files.readString(path);
            if (!text.contains(from)) {
                throw new IllegalArgumentException(file + " has no '" + from + "'");
            }
            Files.writeString(path, text.replaceFirst(java.util.regex.Pattern.quote(from),
                    java.util.regex.Matcher.quoteReplacement(to)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
