package io.vnettracer.bench.path;

import io.vnettracer.lab.LabNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * (e): a bpftrace script timestamping the same points as (b): tracepoint net:net_dev_queue on
 * vm0's eth0 (egress) and net:netif_receive_skb on vm1's eth0 (ingress), one printed line per
 * packet (time, skb address, length) into a file. Both interfaces are called eth0, so the script
 * tells them apart by the inode of the device's network namespace. No protocol filter: like (b),
 * every packet at those points.
 */
final class BpftraceConfiguration implements Configuration {
    private static final Pattern LOST = Pattern.compile("Lost (\\d+) events");
    private static final String SCRIPT = """
            tracepoint:net:net_dev_queue
            /((struct sk_buff *)args->skbaddr)->dev->nd_net.net->ns.inum == %d && str(args->name) == "%s"/
            { printf("tx %%llu %%llx %%u\\n", nsecs, args->skbaddr, args->len); }
            tracepoint:net:netif_receive_skb
            /((struct sk_buff *)args->skbaddr)->dev->nd_net.net->ns.inum == %d && str(args->name) == "%s"/
            { printf("rx %%llu %%llx %%u\\n", nsecs, args->skbaddr, args->len); }
            """;

    @Override
    public String label() {
        return "(e) bpftrace 2 tracepoints";
    }

    @Override
    public String description() {
        return "bpftrace: net:net_dev_queue on vm0 eth0 and net:netif_receive_skb on vm1 eth0 (by netns inode and name),"
                + " printf(nsecs, skb, len) per packet to a file";
    }

    @Override
    public String counts() {
        return "lines printed / events lost (its \"Lost N events\" lines)";
    }

    @Override
    public Optional<String> unavailableReason(PathLab lab) {
        if (!Tools.onPath("bpftrace")) {
            return Optional.of("bpftrace is not installed (run scripts/setup)");
        }
        // A trial: the script itself, attached for a moment; its error is the reason if it fails.
        try (BenchProcess trial = BenchProcess.start("bpftrace (trial)", List.of("bpftrace", "-e",
                script(lab) + "interval:ms:200 { exit(); }\n"))) {
            trial.awaitExit(60);
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.of("bpftrace cannot run the script on this kernel: " + e.getMessage().lines()
                    .filter(l -> l.contains("ERROR") || l.contains("rror")).findFirst().orElse(e.getMessage()));
        }
    }

    @Override
    public Attached attach(PathLab lab, PathWorkload workload) {
        BenchProcess bpftrace = BenchProcess.start("bpftrace", List.of("bpftrace", "-e", script(lab)));
        try {
            bpftrace.awaitReady("Attaching 2 probes", 60_000);
            Thread.sleep(300); // "Attaching" is printed before the attach itself
        } catch (RuntimeException | InterruptedException e) {
            bpftrace.close();
            throw new IllegalStateException("bpftrace did not start: " + e.getMessage(), e);
        }
        return new Attached() {
            @Override
            public Account finish() {
                bpftrace.stop();
                long lines = 0;
                long lost = 0;
                try (var all = Files.lines(bpftrace.log())) {
                    for (String line : (Iterable<String>) all::iterator) {
                        if (line.startsWith("tx ") || line.startsWith("rx ")) {
                            lines++;
                        } else {
                            Matcher m = LOST.matcher(line);
                            if (m.find()) {
                                lost += Long.parseLong(m.group(1));
                            }
                        }
                    }
                } catch (IOException | java.io.UncheckedIOException e) {
                    return new Account(Account.NOT_REPORTED, Account.NOT_REPORTED, Map.of(),
                            "output unreadable: " + e.getMessage());
                }
                return new Account(lines, lost, Map.of(), String.format("%,d lines printed, %,d events lost", lines, lost));
            }

            @Override
            public void close() {
                bpftrace.close();
            }
        };
    }

    private static String script(PathLab lab) {
        LabNames names = lab.names();
        return String.format(SCRIPT, namespaceInode(names.vmNamespace(PathLab.CLIENT)), LabNames.VM_INTERFACE,
                namespaceInode(names.vmNamespace(PathLab.SERVER)), LabNames.VM_INTERFACE);
    }

    /** The inode of a named network namespace: what the kernel calls its ns.inum. */
    private static long namespaceInode(String namespace) {
        try {
            return ((Number) Files.getAttribute(Path.of("/run/netns", namespace), "unix:ino")).longValue();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the inode of namespace " + namespace + ": " + e.getMessage(), e);
        }
    }
}
