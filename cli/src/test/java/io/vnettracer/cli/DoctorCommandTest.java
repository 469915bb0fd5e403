package io.vnettracer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vnettracer.bpf.features.Feature;
import io.vnettracer.bpf.features.Features;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DoctorCommandTest {
    @Test
    void jsonIsOneObjectOfBooleansNamedAfterEveryCheck() throws Exception {
        CommandLineRun run = CommandLineRun.of("doctor", "--json");

        JsonNode json = new ObjectMapper().readTree(run.out());
        assertTrue(json.isObject(), run.out());
        List<String> keys = new ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertEquals(new Features().names(), keys);
        json.properties().forEach(e -> assertTrue(e.getValue().isBoolean(), e.getKey() + " is " + e.getValue()));
        assertEquals(1, run.out().strip().lines().count(), "stdout holds the JSON object alone");
        assertEquals("", run.err());
    }

    @Test
    void exitCodeSaysWhetherEveryNeedOfTheTracerIsMet() throws Exception {
        CommandLineRun run = CommandLineRun.of("doctor", "--json");

        Map<String, Feature> reported = new LinkedHashMap<>();
        new ObjectMapper().readTree(run.out()).properties()
                .forEach(e -> reported.put(e.getKey(), new Feature(e.getKey(), e.getValue().asBoolean(), "")));
        assertEquals(TracerNeeds.unmet(reported).isEmpty() ? 0 : 1, run.exitCode());
        assertEquals(run.exitCode(), CommandLineRun.of("doctor").exitCode(), "table and JSON agree");
    }

    @Test
    void tablePrintsOneAlignedLinePerFeature() {
        CommandLineRun run = CommandLineRun.of("doctor");

        List<String> names = new Features().names();
        List<String> lines = run.out().lines().limit(names.size()).toList();
        int column = lines.getFirst().indexOf("  ") + 2;
        for (int i = 0; i < names.size(); i++) {
            String line = lines.get(i);
            assertTrue(line.startsWith(names.get(i) + " "), line);
            String verdict = line.substring(column, column + 3);
            assertTrue(verdict.equals("yes") || verdict.equals("no "), "verdict column misaligned: " + line);
        }
        assertTrue(run.out().contains(run.exitCode() == 0 ? "has everything it needs" : "cannot trace here yet"),
                run.out());
    }

    @Test
    void kernelVersionLineShowsTheRunningKernel() {
        String out = CommandLineRun.of("doctor").out();
        assertTrue(out.lines().anyMatch(l -> l.startsWith(Features.KERNEL_VERSION)
                && l.contains(System.getProperty("os.version"))), out);
    }
}
