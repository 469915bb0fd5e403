package io.vnettracer.demo;

import io.vnettracer.sinks.report.MessageLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads sockperf's per-message log (--full-log): for each message it counted, in order, when it
 * was sent, when the reply came back and half the round trip. sockperf writes it as a report, not a
 * CSV: its parameters and statistics (with terminal colour codes) above the rows, a rule of dashes
 * below, so the demo keeps a clean copy ({@link MessageLog}) and not this file. sockperf numbers
 * the rows from 0 within its measured window, not by the sequence numbers its messages carry, so
 * {@link RoundTrips#align} finds which of the traced messages they are.
 */
final class SockperfLog {
    private static final String HEADER = "packet, txTime(sec), rxTime(sec), latency(usec)";

    private SockperfLog() {}

    static MessageLog read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        int start = lines.indexOf(HEADER);
        if (start < 0) {
            throw new IllegalStateException(file + " is not a sockperf --full-log: no line '" + HEADER + "'");
        }
        List<double[]> rows = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            String[] f = line.split(",");
            if (f.length == 4) {
                rows.add(new double[] {Double.parseDouble(f[1].strip()), Double.parseDouble(f[2].strip()),
                        Double.parseDouble(f[3].strip())});
            }
        }
        double[][] columns = new double[3][rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            for (int c = 0; c < 3; c++) {
                columns[c][i] = rows.get(i)[c];
            }
        }
        return new MessageLog(columns[0], columns[1], columns[2], null);
    }
}
