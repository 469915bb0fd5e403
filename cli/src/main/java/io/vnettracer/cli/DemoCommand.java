package io.vnettracer.cli;

import io.vnettracer.demo.DemoTables;
import io.vnettracer.demo.DemoOptions;
import io.vnettracer.demo.DemoRunner;
import io.vnettracer.lab.StateStore;
import io.vnettracer.lab.SwitchSpec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code vnettracer demo}: the paper's case studies on a lab of namespaces, traced, beside sockperf. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the paper's two case studies on a lab built on this machine (namespaces, a bridge,",
                "shaping, a CPU hog), traces each case while sockperf measures it, prints the numbers side by",
                "side and writes a JSON summary per case, demo.json and report.html to --out."})
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", paramLabel = "DIR", description = "Where results go (default: ${DEFAULT-VALUE}).")
    private Path out = Path.of("demo-out");

    @Option(names = "--seconds", paramLabel = "N", description = "How long sockperf measures each case (default: ${DEFAULT-VALUE}).")
    private int seconds = 8;

    @Option(names = "--mps", paramLabel = "N", description = "sockperf messages per second (default: ${DEFAULT-VALUE}).")
    private int messagesPerSecond = 1000;

    @Option(names = "--repeat", paramLabel = "N", description = {"Runs every case N times (default: ${DEFAULT-VALUE});",
            "each run keeps its own files and the report shows the spread of p50 and p99 over the runs."})
    private int repeat = 1;

    @Option(names = "--switch", paramLabel = "KIND", description = {"The lab's switch: bridge (a Linux bridge; default) or ovs",
            "(Open vSwitch on its userspace datapath; runs the switch congestion study only)."})
    private String switchKind = SwitchSpec.BRIDGE;

    @Option(names = "--state-dir", hidden = true)
    private Path stateDir = StateStore.DEFAULT_DIR;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (seconds < 2 || seconds > 600) {
            throw new BadInputException("--seconds must be 2..600, not " + seconds);
        }
        if (messagesPerSecond < 10 || messagesPerSecond > 100_000) {
            throw new BadInputException("--mps must be 10..100000, not " + messagesPerSecond);
        }
        if (repeat < 1 || repeat > 100) {
            throw new BadInputException("--repeat must be 1..100, not " + repeat);
        }
        if (!switchKind.equals(SwitchSpec.BRIDGE) && !switchKind.equals(SwitchSpec.OVS)) {
            throw new BadInputException("--switch must be bridge or ovs, not '" + switchKind + "'");
        }
        KernelPrivileges.require("demo");
        DemoRunner runner = new DemoRunner(new DemoOptions(out.toAbsolutePath(), seconds, messagesPerSecond, stateDir,
                System.err, repeat, switchKind));
        var results = runner.run();
        spec.commandLine().getOut().print(DemoTables.render(results));
        spec.commandLine().getOut().println("\nresults in " + out.toAbsolutePath());
        return 0;
    }
}
