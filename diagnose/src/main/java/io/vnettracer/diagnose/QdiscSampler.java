package io.vnettracer.diagnose;

import io.vnettracer.journey.diagnosis.QueueEvidence;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the root qdisc's statistics of one device now and then (iproute2's {@code tc -s -j qdisc
 * show}, the kernel's own counters over netlink): queue length, drops, overlimits, packets sent.
 */
final class QdiscSampler {
    private static final Pattern ROOT_ENTRY = Pattern.compile("\\{[^{}]*\"root\":true[^{}]*(\\{[^{}]*\\}[^{}]*)*\\}");
    private static final long TIMEOUT_SECONDS = 5;

    /** One reading of the counters. */
    record Sample(long atNanos, String kind, long bytes, long packets, long drops, long overlimits, long backlogBytes, long qlen) {}

    private final String probe;
    private final String namespace;
    private final String device;
    private final List<Sample> samples = new ArrayList<>();
    private String failure;

    QdiscSampler(String probe, String namespace, String device) {
        this.probe = probe;
        this.namespace = namespace;
        this.device = device;
    }

    /** Reads the counters once; a failure is kept for the evidence and stops further reads. */
    void sample() {
        if (failure != null) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("tc"));
        if (namespace != null) {
            command.addAll(List.of("-n", namespace));
        }
        command.addAll(List.of("-s", "-j", "qdisc", "show", "dev", device));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                failure = String.join(" ", command) + " failed: " + out.strip();
                return;
            }
            Sample s = parse(System.nanoTime(), out);
            if (s != null) {
                samples.add(s);
            }
        } catch (IOException e) {
            failure = "cannot run tc (" + e.getMessage() + "); scripts/setup installs iproute2";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The root qdisc's counters in {@code tc -s -j} output, or null when there is none. */
    static Sample parse(long at, String json) {
        Matcher root = ROOT_ENTRY.matcher(json);
        if (!root.find()) {
            return null;
        }
        String entry = root.group();
        return new Sample(at, text(entry, "kind"), number(entry, "bytes"), number(entry, "packets"), number(entry, "drops"),
                number(entry, "overlimits"), number(entry, "backlog"), number(entry, "qlen"));
    }

    private static String text(String entry, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":\"([^\"]*)\"").matcher(entry);
        return m.find() ? m.group(1) : "?";
    }

    /** The field's value at the entry's top level (the last occurrence: "options" come first). */
    private static long number(String entry, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":(\\d+)").matcher(entry);
        long value = 0;
        while (m.find()) {
            value = Long.parseLong(m.group(1));
        }
        return value;
    }

    String failure() {
        return failure;
    }

    /** What the samples show; null when fewer than two were taken. */
    QueueEvidence evidence() {
        if (samples.size() < 2) {
            return null;
        }
        Sample first = samples.getFirst();
        Sample last = samples.getLast();
        double meanQlen = samples.stream().mapToLong(Sample::qlen).average().orElse(0);
        long maxQlen = samples.stream().mapToLong(Sample::qlen).max().orElse(0);
        double meanBacklog = samples.stream().mapToLong(Sample::backlogBytes).average().orElse(0);
        return new QueueEvidence(probe, (namespace == null ? "" : namespace + "/") + device, last.kind(), samples.size(),
                meanQlen, maxQlen, meanBacklog, last.drops() - first.drops(), last.overlimits() - first.overlimits(),
                last.packets() - first.packets(), last.bytes() - first.bytes(), (last.atNanos() - first.atNanos()) / 1e9);
    }
}
