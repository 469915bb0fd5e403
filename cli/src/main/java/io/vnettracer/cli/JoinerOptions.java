package io.vnettracer.cli;

import io.vnettracer.journey.JoinerConfig;
import picocli.CommandLine.Option;

/**
 * The joiner's bounds, as options of the commands that join (docs/JOURNEYS.md, "Bounded memory"):
 * the tracer's memory follows these, not the traffic it watches.
 */
final class JoinerOptions {
    @Option(names = "--max-flows", paramLabel = "N", defaultValue = "" + JoinerConfig.DEFAULT_MAX_FLOWS,
            description = "Flows kept apart in the summary (default ${DEFAULT-VALUE}); past it the least active are"
                    + " added up in one 'other flows' row, and counted.")
    private int maxFlows;

    @Option(names = "--flow-idle", paramLabel = "SECONDS", defaultValue = "60",
            description = "A flow without packets for this long is finalized into its row and its working state"
                    + " freed (default ${DEFAULT-VALUE} s); if it sends again it is a new row.")
    private long flowIdleSeconds;

    @Option(names = "--max-journeys", paramLabel = "N", defaultValue = "" + JoinerConfig.DEFAULT_MAX_JOURNEYS,
            description = "Packets followed at once (default ${DEFAULT-VALUE}); past it the oldest is finalized"
                    + " early and what it had not reached yet is unaccounted, not lost.")
    private int maxJourneys;

    /** {@code base} with these bounds; a bound out of range is a BadInputException that names the option. */
    JoinerConfig apply(JoinerConfig base) {
        if (maxFlows < 1) throw new BadInputException("--max-flows " + maxFlows + ": give at least 1");
        if (flowIdleSeconds < 1 || flowIdleSeconds > 86_400L * 365) {
            throw new BadInputException("--flow-idle " + flowIdleSeconds + ": give 1 to 31536000 seconds");
        }
        if (maxJourneys < 16) throw new BadInputException("--max-journeys " + maxJourneys + ": give at least 16");
        return base.withMaxFlows(maxFlows).withFlowIdleNanos(flowIdleSeconds * 1_000_000_000L)
                .withCapacity(Math.min(base.initialJourneys(), maxJourneys), maxJourneys);
    }
}
