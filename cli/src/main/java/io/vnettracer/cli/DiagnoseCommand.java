package io.vnettracer.cli;

import picocli.CommandLine.Command;

/** {@code vnettracer diagnose}: a trace that ends with its diagnosis, {@code trace --diagnose} by another name. */
@Command(name = "diagnose",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Traces as 'vnettracer trace' does (same options) and ends by naming, per flow, the segment that",
            "dominates its latency or loss and its likely cause, with the kernel's evidence collected meanwhile:",
            "the qdisc behind each egress device probe, the run-queue waits of the namespace behind each socket",
            "receive probe, the drops and their reasons (docs/DIAGNOSE.md). Exit codes as for trace."
        })
final class DiagnoseCommand extends TraceCommand {
    @Override
    public Integer call() {
        diagnose = true;
        return super.call();
    }
}
