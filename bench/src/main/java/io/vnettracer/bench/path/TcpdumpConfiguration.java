package io.vnettracer.bench.path;

import io.vnettracer.lab.LabNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * (d): tcpdump in vm1's namespace writing the first 96 bytes of each of the load's packets on
 * vm1's eth0 to a file, with the load's filter. The file is deleted after each load.
 */
final class TcpdumpConfiguration implements Configuration {
    private static final Pattern CAPTURED = Pattern.compile("(\\d+) packets? captured");
    private static final Pattern DROPPED = Pattern.compile("(\\d+) packets? dropped by kernel");

    @Override
    public String label() {
        return "(d) tcpdump -s 96 -w file";
    }

    @Override
    public String description() {
        return "tcpdump -i eth0 -s 96 -w FILE <the load's filter>, in vm1's namespace";
    }

    @Override
    public String counts() {
        return "packets captured / dropped by kernel (its exit report)";
    }

    @Override
    public Optional<String> unavailableReason(PathLab lab) {
        return Tools.onPath("tcpdump") ? Optional.empty() : Optional.of("tcpdump is not installed (run scripts/setup)");
    }

    @Override
    public Attached attach(PathLab lab, PathWorkload workload) {
        Path file;
        try {
            file = Files.createTempFile("vnettracer-bench-", ".pcap");
        } catch (IOException e) {
            throw new IllegalStateException("cannot create tcpdump's file: " + e.getMessage(), e);
        }
        List<String> argv = new ArrayList<>(List.of("tcpdump", "-i", LabNames.VM_INTERFACE, "-s", "96",
                "-w", file.toString()));
        argv.addAll(List.of(workload.filter().split(" ")));
        BenchProcess tcpdump = BenchProcess.start("tcpdump", lab.inVm(PathLab.SERVER, argv));
        try {
            tcpdump.awaitReady("listening on", 10_000);
        } catch (RuntimeException e) {
            tcpdump.close();
            deleteQuietly(file);
            throw e;
        }
        return new Attached() {
            @Override
            public Account finish() {
                String out = tcpdump.stop();
                long captured = count(CAPTURED, out);
                long dropped = count(DROPPED, out);
                return new Account(captured, dropped, Map.of(),
                        "captured " + shown(captured) + ", dropped by kernel " + shown(dropped));
            }

            @Override
            public void close() {
                tcpdump.close();
                deleteQuietly(file);
            }
        };
    }

    private static long count(Pattern p, String out) {
        Matcher m = p.matcher(out);
        return m.find() ? Long.parseLong(m.group(1)) : Account.NOT_REPORTED;
    }

    private static String shown(long count) {
        return count == Account.NOT_REPORTED ? "?" : String.format("%,d", count);
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a temporary file left behind is harmless
        }
    }
}
