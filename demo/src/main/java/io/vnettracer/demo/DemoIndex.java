package io.vnettracer.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's index, {@value #FILE}: the studies, their cases, which summary file and which flow
 * belong to each, and sockperf's figures beside the tracer's (docs/REPORT.md describes it).
 */
final class DemoIndex {
    static final String FILE = "demo.json";

    private DemoIndex() {}

    static void write(Path file, List<CaseResult> results) throws IOException {
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("version", 1);
        index.put("generated", Instant.now().toString());
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("kernel", Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip());
        machine.put("cpus", Runtime.getRuntime().availableProcessors());
        machine.put("java", Runtime.version().toString());
        index.put("machine", machine);
        List<Map<String, Object>> studies = new ArrayList<>();
        Map<String, Map<String, Object>> byId = new LinkedHashMap<>();
        Map<List<String>, List<CaseResult>> runsByCase = new LinkedHashMap<>();
        for (CaseResult r : results) {
            runsByCase.computeIfAbsent(List.of(r.study().id(), r.kase().id()), k -> new ArrayList<>()).add(r);
        }
        for (List<CaseResult> runs : runsByCase.values()) {
            CaseResult first = runs.getFirst();
            Map<String, Object> study = byId.computeIfAbsent(first.study().id(), id -> {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("id", id);
                s.put("title", first.study().title());
                s.put("description", first.study().description());
                s.put("cases", new ArrayList<Map<String, Object>>());
                studies.add(s);
                return s;
            });
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> cases = (List<Map<String, Object>>) study.get("cases");
            cases.add(caseEntry(runs));
        }
        index.put("studies", studies);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), index);
    }

    /** A case as its first run shows it, and with {@code --repeat} every run's figures under {@code runs}. */
    private static Map<String, Object> caseEntry(List<CaseResult> runs) {
        CaseResult r = runs.getFirst();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", r.kase().id());
        c.put("title", r.kase().title());
        c.put("summary", r.summaryFile());
        c.put("messages", r.messagesFile());
        c.put("flow", r.request().key().toString());
        c.put("sockperf", sockperf(r));
        c.put("vnettracer", tracer(r));
        c.put("request_one_way", oneWay(r));
        if (runs.size() > 1) {
            List<Map<String, Object>> all = new ArrayList<>();
            for (CaseResult run : runs) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("run", run.run());
                entry.put("summary", run.summaryFile());
                entry.put("messages", run.messagesFile());
                entry.put("sockperf", sockperf(run));
                entry.put("vnettracer", tracer(run));
                entry.put("request_one_way", oneWay(run));
                all.add(entry);
            }
            c.put("runs", all);
        }
        return c;
    }

    private static Map<String, Object> sockperf(CaseResult r) {
        Map<String, Object> sockperf = new LinkedHashMap<>();
        sockperf.put("p50_us", r.sockperf().p50Us());
        sockperf.put("p90_us", r.sockperf().p90Us());
        sockperf.put("p99_us", r.sockperf().p99Us());
        sockperf.put("p999_us", r.sockperf().p999Us());
        sockperf.put("mean_us", r.sockperf().meanUs());
        sockperf.put("observations", r.sockperf().observations());
        sockperf.put("kind", "half-round-trip");
        sockperf.put("measured", "user space to user space");
        return sockperf;
    }

    private static Map<String, Object> tracer(CaseResult r) {
        Map<String, Object> tracer = new LinkedHashMap<>();
        RoundTrips.Figures rt = r.roundTrips();
        tracer.put("p50_us", rt.p50Us());
        tracer.put("p90_us", rt.p90Us());
        tracer.put("p99_us", rt.p99Us());
        tracer.put("p999_us", rt.p999Us());
        tracer.put("mean_us", rt.meanUs());
        tracer.put("messages", rt.count());
        tracer.put("difference_p50_us", rt.differenceP50Us());
        tracer.put("difference_p99_us", rt.differenceP99Us());
        tracer.put("kind", "half-round-trip");
        tracer.put("measured", "the client socket's send to its read of the reply");
        return tracer;
    }

    private static Map<String, Object> oneWay(CaseResult r) {
        Map<String, Object> oneWay = new LinkedHashMap<>();
        var l = r.request().latencyNs();
        oneWay.put("p50_us", l.p50() / 1000.0);
        oneWay.put("p90_us", l.p90() / 1000.0);
        oneWay.put("p99_us", l.p99() / 1000.0);
        oneWay.put("p999_us", l.p999() / 1000.0);
        oneWay.put("mean_us", l.mean() / 1000.0);
        oneWay.put("kind", "one-way");
        return oneWay;
    }
}
