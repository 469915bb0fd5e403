package io.vnettracer.cli.trace;

import io.vnettracer.journey.Summary;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;

/**
 * The running trace's view, redrawn with each summary (about once a second, and as soon as a new
 * flow appears): on a terminal the whole screen like top(1) (ANSI home + clear, then the tables),
 * elsewhere (a pipe, a CI log) one compact line, at most once a second.
 */
public final class LiveView {
    /** Cursor home, then erase the screen (ECMA-48 CUP and ED). */
    private static final String CLEAR_SCREEN = "\033[H\033[2J";
    static final int FLOWS_ON_SCREEN = 10;
    /** A second, less the slack of the loop that watches for summaries (published a second apart). */
    static final long LINE_EVERY_NANOS = 900_000_000L;

    private final PrintWriter out;
    private final boolean terminal;
    private long nextLine = Long.MIN_VALUE;

    public LiveView(PrintWriter out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** Whether this process writes to a terminal (both ends of the console; not under a pipe or a test). */
    public static boolean stdoutIsTerminal() {
        java.io.Console console = System.console();
        return console != null && console.isTerminal();
    }

    public void refresh(Summary summary, List<ProbeRow> probes, long undecodable, Duration elapsed) {
        if (terminal) {
            out.print(CLEAR_SCREEN);
            out.print(SummaryTables.render(summary, probes, undecodable, elapsed, FLOWS_ON_SCREEN));
            out.print("\n(Ctrl-C to stop)\n");
        } else {
            long now = System.nanoTime();
            if (now < nextLine) {
                return;
            }
            nextLine = now + LINE_EVERY_NANOS;
            out.println(SummaryTables.line(summary, probes, undecodable, elapsed));
        }
        out.flush();
    }
}
