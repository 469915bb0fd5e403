package io.vnettracer.sinks.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The demo's index, {@code demo.json}: what ran where, and for each case of each study which
 * summary file and which of its flows is the measured one (docs/REPORT.md, "Input").
 */
record DemoIndex(OffsetDateTime generated, List<MachineFact> machine, List<Study> studies) {
    static final String FILE = "demo.json";
    static final int VERSION = 1;

    /** One line of the free-form {@code machine} object; nested values are shown as compact JSON. */
    record MachineFact(String key, String value) {}

    record Study(String id, String title, String description, List<Case> cases) {}

    /**
     * @param summaryFile the summary's file name inside the demo directory
     * @param flow        the measured flow, named as the summary's segments name it
     * @param tracer      the tracer's end-to-end percentiles as the demo reported them, or null to
     *                    take them from the summary's flow
     * @param messagesFile the per-message CSV ({@link MessageLog}) inside the demo directory, or null
     * @param runs        every run of the case when the demo repeated it ({@code --repeat}), else empty
     */
    record Case(String id, String title, String summaryFile, String flow, Sockperf sockperf, Tracer tracer,
                String messagesFile, List<Run> runs) {}

    /** One run of a repeated case: its percentiles by sockperf and, when given, by the tracer. */
    record Run(Percentiles sockperfUs, Percentiles tracerUs) {}

    /** sockperf's own report of the run: half-round-trip percentiles (sockperf's latency), mean and number of observations. */
    record Sockperf(Percentiles latencyUs, double meanUs, long observations) {}

    /** The tracer's end-to-end percentiles of the same run. */
    record Tracer(Percentiles latencyUs, LatencyKind kind) {}

    static DemoIndex read(Path dir) {
        JsonFields root = JsonFields.read(dir.resolve(FILE),
                "the demo writes it next to its summaries (its layout is in docs/REPORT.md)");
        long version = root.integer("version");
        if (version != VERSION) {
            throw root.problem("version " + version + " is not supported; this build reads version " + VERSION);
        }
        OffsetDateTime generated = parseTime(root);
        List<MachineFact> machine = machine(root.object("machine"));
        List<JsonFields> studyFields = root.array("studies");
        if (studyFields.isEmpty()) {
            throw root.problem("studies: empty; there is nothing to report");
        }
        List<Study> studies = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (JsonFields s : studyFields) {
            Study study = study(s);
            if (!ids.add(study.id())) {
                throw s.problem("id: '" + study.id() + "' is the id of an earlier study too");
            }
            studies.add(study);
        }
        return new DemoIndex(generated, machine, List.copyOf(studies));
    }

    private static OffsetDateTime parseTime(JsonFields root) {
        String text = root.text("generated");
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            throw root.problem("generated: '" + text + "' is not an ISO-8601 time with an offset, e.g. 2026-11-25T14:03:00Z");
        }
    }

    private static List<MachineFact> machine(JsonFields machine) {
        List<MachineFact> facts = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : machine.node().properties()) {
            JsonNode v = e.getValue();
            facts.add(new MachineFact(e.getKey(), v.isValueNode() ? v.asText() : v.toString()));
        }
        return List.copyOf(facts);
    }

    private static Study study(JsonFields s) {
        String id = s.text("id");
        List<JsonFields> caseFields = s.array("cases");
        if (caseFields.isEmpty()) {
            throw s.problem("cases: empty; a study needs at least one case");
        }
        List<Case> cases = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (JsonFields c : caseFields) {
            Case aCase = aCase(c);
            if (!ids.add(aCase.id())) {
                throw c.problem("id: '" + aCase.id() + "' is the id of an earlier case of study '" + id + "' too");
            }
            cases.add(aCase);
        }
        return new Study(id, s.text("title"), s.text("description", ""), List.copyOf(cases));
    }

    private static Case aCase(JsonFields c) {
        String summary = fileName(c, "summary");
        JsonFields sock = c.object("sockperf");
        Sockperf sockperf = new Sockperf(Percentiles.read(sock, false), sock.number("mean_us"), sock.integer("observations"));
        Tracer tracer = null;
        if (c.has("vnettracer")) {
            JsonFields t = c.object("vnettracer");
            tracer = new Tracer(Percentiles.read(t, true), LatencyKind.parse(t.text("kind"), t));
        }
        List<Run> runs = new ArrayList<>();
        if (c.has("runs")) {
            for (JsonFields r : c.array("runs")) {
                runs.add(new Run(Percentiles.read(r.object("sockperf"), false),
                        r.has("vnettracer") ? Percentiles.read(r.object("vnettracer"), true) : null));
            }
        }
        return new Case(c.text("id"), c.text("title"), summary, c.text("flow"), sockperf, tracer,
                c.has("messages") ? fileName(c, "messages") : null, List.copyOf(runs));
    }

    /** A file the index names: a plain name inside the demo directory, which is all the report reads. */
    private static String fileName(JsonFields c, String key) {
        String name = c.text(key);
        Path asPath = Path.of(name);
        if (name.isBlank() || asPath.isAbsolute() || asPath.getNameCount() != 1 || name.equals("..")) {
            throw c.problem(key + ": '" + name + "' must be a file name inside the demo directory (no directories)");
        }
        return name;
    }
}
