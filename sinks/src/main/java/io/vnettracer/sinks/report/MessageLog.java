package io.vnettracer.sinks.report;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The messages sockperf counted in one run, one per row: the demo writes this CSV
 * ({@code <study>-<case>-sockperf-messages.csv}) and the report reads it back for the CDFs and the
 * latency over time. One header line, numeric columns only, so any CSV reader takes it as is.
 * The tracer's column is there when the demo could match sockperf's messages to traced ones.
 *
 * @param txTimeS  when sockperf sent the message, seconds on sockperf's clock (only differences mean anything)
 * @param rxTimeS  when sockperf read the reply, same clock
 * @param sockperfUs sockperf's latency of the message: half its round trip, user space to user space
 * @param tracerUs the tracer's half round trip of the same message, socket to socket; null when not matched
 */
public record MessageLog(double[] txTimeS, double[] rxTimeS, double[] sockperfUs, double[] tracerUs) {
    private static final String MESSAGE = "message";
    private static final String TX = "tx_time_s";
    private static final String RX = "rx_time_s";
    private static final String SOCKPERF = "sockperf_half_round_trip_us";
    private static final String TRACER = "vnettracer_half_round_trip_us";

    public MessageLog {
        int n = txTimeS.length;
        if (rxTimeS.length != n || sockperfUs.length != n || (tracerUs != null && tracerUs.length != n)) {
            throw new IllegalArgumentException("columns of different lengths");
        }
    }

    public int size() {
        return txTimeS.length;
    }

    public MessageLog withTracer(double[] tracerHalfRoundTripUs) {
        return new MessageLog(txTimeS, rxTimeS, sockperfUs, tracerHalfRoundTripUs);
    }

    public void write(Path file) {
        try (BufferedWriter w = new BufferedWriter(new java.io.OutputStreamWriter(
                io.vnettracer.sinks.output.OutputFile.replacing(file).openStream(), StandardCharsets.UTF_8))) {
            w.write(String.join(",", header()));
            w.write('\n');
            for (int i = 0; i < size(); i++) {
                // Nanosecond times and sub-nanosecond latencies: as precise as sockperf writes them.
                w.write(String.format(Locale.ROOT, "%d,%.9f,%.9f,%.3f", i, txTimeS[i], rxTimeS[i], sockperfUs[i]));
                if (tracerUs != null) {
                    w.write(String.format(Locale.ROOT, ",%.3f", tracerUs[i]));
                }
                w.write('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private List<String> header() {
        List<String> h = new ArrayList<>(List.of(MESSAGE, TX, RX, SOCKPERF));
        if (tracerUs != null) {
            h.add(TRACER);
        }
        return h;
    }

    /** Reads a file {@link #write} wrote; complaints name the file, the line and what was expected. */
    static MessageLog read(Path file, String referredFrom) {
        String name = file.getFileName().toString();
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ReportInputException("no " + name + " in " + file.toAbsolutePath().getParent()
                    + ": it is named by " + referredFrom, e);
        } catch (IOException e) {
            throw new ReportInputException("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (lines.isEmpty()) {
            throw new ReportInputException(name + ": empty; expected the header line " + String.join(",", List.of(MESSAGE, TX, RX, SOCKPERF)));
        }
        List<String> columns = Arrays.asList(lines.getFirst().strip().split(","));
        int tx = column(columns, TX, name);
        int rx = column(columns, RX, name);
        int sockperf = column(columns, SOCKPERF, name);
        int tracer = columns.indexOf(TRACER);
        int n = lines.size() - 1;
        double[][] values = new double[4][n];
        int rows = 0;
        for (int line = 1; line < lines.size(); line++) {
            String text = lines.get(line).strip();
            if (text.isEmpty()) {
                continue;
            }
            String[] f = text.split(",");
            if (f.length != columns.size()) {
                throw new ReportInputException(name + ": line " + (line + 1) + ": " + f.length + " fields, the header has "
                        + columns.size());
            }
            values[0][rows] = number(f[tx], name, line, TX);
            values[1][rows] = number(f[rx], name, line, RX);
            values[2][rows] = number(f[sockperf], name, line, SOCKPERF);
            if (tracer >= 0) {
                values[3][rows] = number(f[tracer], name, line, TRACER);
            }
            rows++;
        }
        return new MessageLog(Arrays.copyOf(values[0], rows), Arrays.copyOf(values[1], rows),
                Arrays.copyOf(values[2], rows), tracer >= 0 ? Arrays.copyOf(values[3], rows) : null);
    }

    private static int column(List<String> columns, String wanted, String file) {
        int i = columns.indexOf(wanted);
        if (i < 0) {
            throw new ReportInputException(file + ": line 1: no column " + wanted + " (the header is '"
                    + String.join(",", columns) + "')");
        }
        return i;
    }

    private static double number(String text, String file, int line, String column) {
        try {
            double v = Double.parseDouble(text.strip());
            if (Double.isFinite(v)) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ReportInputException(file + ": line " + (line + 1) + ", " + column + ": '" + text.strip()
                + "' is not a finite number");
    }
}
