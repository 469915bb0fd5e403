package io.vnettracer.cli;

import io.vnettracer.sinks.report.DemoReport;
import io.vnettracer.sinks.report.ReportInputException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Turns a demo run's saved files into one self-contained HTML page. Needs no privileges. */
@Command(name = "report",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Builds the demo's report from the files a demo run saved: DIR/demo.json and",
            "the JSON summaries it names (docs/REPORT.md). The report is one HTML file",
            "with its charts drawn in: it opens anywhere, offline, without scripts.",
            "Exit codes: 0 written, 1 the file could not be written, 2 bad input (a",
            "missing or malformed file, a flow the summary does not hold)."
        })
final class ReportCommand implements Callable<Integer> {
    @Option(names = "--in", paramLabel = "DIR", required = true,
            description = "The demo's output directory, holding demo.json.")
    private Path in;

    @Option(names = "--out", paramLabel = "FILE", description = "Where to write the page (default DIR/report.html).")
    private Path out;

    @Option(names = "--force", description = "Replace the page if it exists; without it an existing file is refused.")
    private boolean force;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        Path file = out != null ? out : in.resolve(DemoReport.FILE);
        var page = CheckedOutput.of("--out", file, force);
        DemoReport report;
        try {
            report = DemoReport.load(in);
        } catch (ReportInputException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        report.write(page);
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println("wrote " + file + " (" + plural(report.studies(), "study", "studies") + ", "
                + plural(report.cases(), "case", "cases") + ")");
        stdout.flush();
        return Main.EXIT_OK;
    }

    private static String plural(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
