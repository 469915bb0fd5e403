package io.vnettracer.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vnettracer.cli.control.ControlProtocol;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How fast the tracer starts and changes: {@code ./vnettracer trace} with six probes on a
 * two-namespace veth path, from the command's start (launcher and JVM included) to "attached"; then
 * each live change through its control socket, as the trace timed it and as the client saw it.
 * Each round is a fresh trace process. Usage: {@code scripts/bench control [--rounds N]}.
 */
public final class ControlBench {
    private static final String FILTER = "udp and port 4000";

    private ControlBench() {}

    public static void main(String[] args) throws Exception {
        int rounds = 5;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--rounds")) rounds = Integer.parseInt(args[++i]);
        }
        List<String> traceCommand = null;
        Samples attach = new Samples("attach: command start to 6 probes attached", "ms", rounds);
        Map<String, Samples[]> changes = new LinkedHashMap<>();
        try (TwoNamespaces net = new TwoNamespaces("vbc")) {
            for (int round = -1; round < rounds; round++) { // round -1 warms the page cache and the build
                List<String> options = new ArrayList<>(List.of(net.probeOptions()));
                options.addAll(List.of("--filter", FILTER, "--duration", "10m"));
                try (TraceProcess trace = new TraceProcess(options.toArray(String[]::new))) {
                    traceCommand = trace.command;
                    long attachedNs = trace.awaitAttached();
                    Map<String, ObjectNode> steps = new LinkedHashMap<>();
                    steps.put("sample (map update)", trace.request("sample")
                            .put(ControlProtocol.NAME, "app_rx").put(ControlProtocol.EVERY, 2));
                    steps.put("filter (program swap)", trace.request("filter")
                            .put(ControlProtocol.NAME, "a_out").put(ControlProtocol.EXPRESSION, "udp and dst port 4000"));
                    // b's egress has no probe yet: the add attaches the hook's dispatcher (a TCX attach).
                    steps.put("add (dev:, new hook)", trace.request("add").put(ControlProtocol.NAME, "extra")
                            .put(ControlProtocol.SPEC, "dev:" + net.b + "/" + net.bInterface + ":egress"));
                    steps.put("remove (dev:, hook's only probe)", trace.request("remove").put(ControlProtocol.NAME, "extra"));
                    // a_out's hook has its dispatcher: the add is a program load and a program-array update.
                    steps.put("add (dev:, hook has a dispatcher)", trace.request("add").put(ControlProtocol.NAME, "extra2")
                            .put(ControlProtocol.SPEC, "dev:" + net.a + "/" + net.aInterface + ":egress"));
                    steps.put("remove (dev:, beside another)", trace.request("remove").put(ControlProtocol.NAME, "extra2"));
                    for (var step : steps.entrySet()) {
                        long start = System.nanoTime();
                        JsonNode reply = trace.control(step.getValue());
                        long roundTrip = System.nanoTime() - start;
                        if (round >= 0) {
                            int capacity = rounds;
                            Samples[] s = changes.computeIfAbsent(step.getKey(), k -> new Samples[] {
                                    new Samples("in trace: " + k, "ms", capacity),
                                    new Samples("round trip: " + k, "ms", capacity)});
                            s[0].add(reply.path(ControlProtocol.MICROS).asLong() / 1e3);
                            s[1].add(roundTrip / 1e6);
                        }
                    }
                    if (round >= 0) {
                        attach.add(attachedNs / 1e6);
                    }
                    System.out.printf("round %d: attached after %.0f ms%n", round, attachedNs / 1e6);
                }
            }
        }
        List<Samples> figures = new ArrayList<>();
        figures.add(attach);
        changes.values().forEach(s -> figures.add(s[0]));
        changes.values().forEach(s -> figures.add(s[1]));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("trace_command", String.join(" ", traceCommand));
        settings.put("rounds", rounds);
        settings.put("warm_up_rounds", 1);
        // A TCX attach (the first probe on a hook) waits for an RCU grace period, whose length this
        // system setting decides; the tracer never changes it, so the figures say what it was.
        String rcuExpedited = java.nio.file.Files.readString(java.nio.file.Path.of("/sys/kernel/rcu_expedited")).strip();
        settings.put("rcu_expedited", rcuExpedited);
        System.out.println("/sys/kernel/rcu_expedited = " + rcuExpedited + " (as found; the tracer does not change it)");
        ResultFile.report("control", ("scripts/bench control " + String.join(" ", args)).strip(), figures, settings);
        System.out.println("trace command: " + String.join(" ", traceCommand));
    }
}
