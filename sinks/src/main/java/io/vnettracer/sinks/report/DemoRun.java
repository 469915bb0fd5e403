package io.vnettracer.sinks.report;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A demo run as the report shows it: the index, and for each case its summary, the measured flow
 * and that flow's segments, every reference resolved and checked.
 */
record DemoRun(Path dir, DemoIndex index, List<StudyRun> studies) {

    record StudyRun(DemoIndex.Study study, List<CaseRun> cases) {}

    /**
     * @param tracer            the tracer's percentiles: the index's, or the summary flow's (one-way)
     * @param tracerFromSummary true when the index gave none and they come from the summary
     * @param messages          the case's per-message log, or null when the index names none
     */
    record CaseRun(DemoIndex.Case spec, SummaryDocument summary, SummaryDocument.Flow flow,
                   List<SummaryDocument.Segment> segments, DemoIndex.Tracer tracer, boolean tracerFromSummary,
                   MessageLog messages) {
        /** The segments' shares add up to about 1 unless no journey crossed the whole path. */
        double totalShare() {
            return segments.stream().mapToDouble(SummaryDocument.Segment::share).sum();
        }
    }

    static DemoRun load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ReportInputException(dir + " is not a directory; --in takes the directory the demo wrote "
                    + "(demo.json and its summaries)");
        }
        DemoIndex index = DemoIndex.read(dir);
        Map<String, SummaryDocument> summaries = new HashMap<>();
        List<StudyRun> studies = new ArrayList<>();
        for (int s = 0; s < index.studies().size(); s++) {
            DemoIndex.Study study = index.studies().get(s);
            List<CaseRun> cases = new ArrayList<>();
            for (int c = 0; c < study.cases().size(); c++) {
                DemoIndex.Case spec = study.cases().get(c);
                String where = DemoIndex.FILE + ": studies[" + s + "].cases[" + c + "] (study '" + study.id()
                        + "', case '" + spec.id() + "')";
                SummaryDocument summary = summaries.get(spec.summaryFile());
                if (summary == null) {
                    summary = SummaryDocument.read(dir.resolve(spec.summaryFile()), where + ", key summary");
                    summaries.put(spec.summaryFile(), summary);
                }
                MessageLog messages = spec.messagesFile() == null ? null
                        : MessageLog.read(dir.resolve(spec.messagesFile()), where + ", key messages");
                cases.add(resolve(spec, summary, messages, where));
            }
            studies.add(new StudyRun(study, List.copyOf(cases)));
        }
        return new DemoRun(dir, index, List.copyOf(studies));
    }

    private static CaseRun resolve(DemoIndex.Case spec, SummaryDocument summary, MessageLog messages, String where) {
        SummaryDocument.Flow flow = summary.flow(spec.flow());
        if (flow == null) {
            String known = summary.flows().isEmpty() ? "it holds no flow at all"
                    : "its flows are: " + summary.flows().stream().map(f -> "'" + f.name() + "'")
                            .collect(Collectors.joining(", "));
            throw new ReportInputException(where + ", key flow: '" + spec.flow() + "' is not a flow of "
                    + summary.file() + "; " + known);
        }
        DemoIndex.Tracer tracer = spec.tracer();
        boolean fromSummary = tracer == null;
        if (fromSummary) {
            SummaryDocument.FlowLatency l = flow.latencyNs();
            tracer = new DemoIndex.Tracer(new Percentiles(l.p50() / 1e3, l.p90() / 1e3, l.p99() / 1e3, Double.NaN),
                    LatencyKind.ONE_WAY);
        }
        return new CaseRun(spec, summary, flow, summary.segmentsOf(flow), tracer, fromSummary, messages);
    }

    int caseCount() {
        return studies.stream().mapToInt(s -> s.cases().size()).sum();
    }

    /** The summary files and per-message logs the report read, each once. */
    List<String> inputFiles() {
        return studies.stream().flatMap(s -> s.cases().stream())
                .flatMap(c -> java.util.stream.Stream.of(c.spec().summaryFile(), c.spec().messagesFile()))
                .filter(java.util.Objects::nonNull).distinct().toList();
    }
}
