package io.vnettracer.journey.diagnosis;

import java.util.List;
import java.util.Locale;

/** The diagnosis as the terminal shows it: ranked findings, each with its evidence. */
public final class DiagnosisText {
    private DiagnosisText() {}

    public static String render(List<Finding> findings) {
        StringBuilder sb = new StringBuilder("Diagnosis\n");
        if (findings.isEmpty()) {
            sb.append("  nothing to diagnose: no flow crossed a path of two probes or more ").append(Diagnoser.MIN_RECEIVED)
                    .append(" times\n");
            return sb.toString();
        }
        int rank = 1;
        for (Finding f : findings) {
            boolean drops = f.cause().equals(Finding.DROPS);
            sb.append(String.format(Locale.ROOT, "  %d. %s: %s holds %.1f%% of %s; cause: %s%s%n", rank++, f.flow(), f.segment(),
                    f.share() * 100, drops ? "the packets that entered it (lost)" : "the latency",
                    f.cause().replace('_', ' '),
                    f.cause().equals(Finding.UNEXPLAINED) ? "" : String.format(Locale.ROOT, " (explains %.0f%%)", f.explainedShare() * 100)));
            sb.append("     ").append(f.evidence()).append('\n');
        }
        return sb.toString();
    }
}
