package io.vnettracer.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vnettracer.bpf.features.Feature;
import io.vnettracer.bpf.features.Features;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Reports what this machine offers the tracer. Runs without privileges (it then says so). */
@Command(name = "doctor",
        mixinStandardHelpOptions = true,
        description = {
            "Checks that this machine can run the tracer: kernel, BTF, mounts, privileges, JDK and BPF features.",
            "Exits 0 when everything the tracer needs is present, 1 otherwise."
        })
final class DoctorCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Print one JSON object {\"feature\": true|false, ...} and nothing else.")
    private boolean json;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws JsonProcessingException {
        List<Feature> features = new Features().probeAll();
        Map<String, Feature> byName = new LinkedHashMap<>();
        features.forEach(f -> byName.put(f.name(), f));
        List<TracerNeeds.Need> unmet = TracerNeeds.unmet(byName);

        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            Map<String, Boolean> supported = new LinkedHashMap<>();
            features.forEach(f -> supported.put(f.name(), f.supported()));
            out.println(new ObjectMapper().writeValueAsString(supported));
        } else {
            printTable(out, features, unmet);
        }
        out.flush();
        return unmet.isEmpty() ? Main.EXIT_OK : Main.EXIT_FAILURE;
    }

    private static void printTable(PrintWriter out, List<Feature> features, List<TracerNeeds.Need> unmet) {
        int width = features.stream().mapToInt(f -> f.name().length()).max().orElse(0);
        for (Feature f : features) {
            out.printf("%-" + width + "s  %-3s  %s%n", f.name(), f.supported() ? "yes" : "no", f.reason());
        }
        out.println();
        if (unmet.isEmpty()) {
            out.println("vNetTracer has everything it needs here.");
        } else {
            out.println("vNetTracer cannot trace here yet; it needs:");
            unmet.forEach(n -> out.println("  " + n.describe()));
        }
        String optional = features.stream()
                .filter(f -> !f.supported() && !TracerNeeds.isNeeded(f.name()))
                .map(Feature::name)
                .collect(Collectors.joining(", "));
        if (!optional.isEmpty()) {
            out.println("Optional, unavailable (fewer probe kinds or no pinning): " + optional);
        }
    }
}
