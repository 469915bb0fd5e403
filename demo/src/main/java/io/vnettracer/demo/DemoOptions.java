package io.vnettracer.demo;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * How the demo runs.
 *
 * @param out where the summaries, the index and the report go
 * @param seconds how long sockperf measures each case
 * @param messagesPerSecond sockperf's rate (--mps)
 * @param stateDir where the lab records what it made
 * @param progress where a line per step goes
 * @param repeat how many times each case runs (each run keeps its own files)
 */
public record DemoOptions(Path out, int seconds, int messagesPerSecond, Path stateDir, PrintStream progress,
                          int repeat) {
    public DemoOptions {
        if (repeat < 1) {
            throw new IllegalArgumentException("repeat must be at least 1, not " + repeat);
        }
    }
}
