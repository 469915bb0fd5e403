package io.vnettracer.demo;

import io.vnettracer.lab.SwitchSpec;
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
 * @param switchKind the lab's switch, {@code bridge} (a Linux bridge: both studies) or {@code ovs}
 *     (Open vSwitch on its userspace datapath: the switch congestion study)
 */
public record DemoOptions(Path out, int seconds, int messagesPerSecond, Path stateDir, PrintStream progress,
                          int repeat, String switchKind) {
    public DemoOptions {
        if (repeat < 1) {
            throw new IllegalArgumentException("repeat must be at least 1, not " + repeat);
        }
        if (!switchKind.equals(SwitchSpec.BRIDGE) && !switchKind.equals(SwitchSpec.OVS)) {
            throw new IllegalArgumentException("switch must be " + SwitchSpec.BRIDGE + " or " + SwitchSpec.OVS + ", not " + switchKind);
        }
    }

    /** On a Linux bridge. */
    public DemoOptions(Path out, int seconds, int messagesPerSecond, Path stateDir, PrintStream progress, int repeat) {
        this(out, seconds, messagesPerSecond, stateDir, progress, repeat, SwitchSpec.BRIDGE);
    }
}
