package io.vnettracer.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * sockperf's per-message log (--full-log): for each message it counted, in order, its half round
 * trip. sockperf numbers these from 0 within its measured window, not by the sequence numbers its
 * messages carry, so {@link RoundTrips#align} finds which of the traced messages they are.
 */
record SockperfLog(double[] halfRoundTripUs) {
    private static final String HEADER = "packet, txTime(sec), rxTime(sec), latency(usec)";

    static SockperfLog read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        int start = lines.indexOf(HEADER);
        if (start < 0) {
            throw new IllegalStateException(file + " is not a sockperf --full-log: no line '" + HEADER + "'");
        }
        List<Double> values = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            String[] f = line.split(",");
            if (f.length == 4) {
                values.add(Double.parseDouble(f[3].strip()));
            }
        }
        return new SockperfLog(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    int size() {
        return halfRoundTripUs.length;
    }
}
