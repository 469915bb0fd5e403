package io.vnettracer.journey;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Flows the joiner took out of its table: those idle long enough keep their final rows; those past
 * {@link JoinerConfig#maxFlows()} are folded into one "other flows" sum, smallest first. Where their
 * journeys vanished is kept for every one of them, kept or folded (drops are listed by place and
 * reason, not by flow), so the summary's drops stay whole.
 */
final class RetiredFlows {
    private final PriorityQueue<FlowRows> kept = new PriorityQueue<>(
            Comparator.comparingLong(FlowRows::sent).thenComparingLong(FlowRows::order));
    private final Map<List<String>, Long> drops = new HashMap<>();
    private long flows, sent, received, lost, unaccounted, inFlight, retransmits;

    /** Keeps a retired flow's rows (a flow no path probe saw has no row: only its drops are kept). */
    void keep(FlowRows rows) {
        addDrops(rows);
        if (rows.flow() != null) kept.add(rows);
    }

    /** Adds a flow's figures to "other flows". */
    void fold(FlowRows rows) {
        addDrops(rows);
        if (rows.flow() != null) addToOther(rows.flow());
    }

    /** Folds the kept flow that sent least; false when none is kept. */
    boolean foldSmallest() {
        FlowRows smallest = kept.poll();
        if (smallest == null) return false;
        addToOther(smallest.flow());
        return true;
    }

    private void addToOther(Summary.Flow f) {
        flows++;
        sent += f.sent();
        received += f.received();
        lost += f.lost();
        unaccounted += f.unaccounted();
        inFlight += f.inFlight();
        retransmits += f.retransmits();
    }

    /** Retired flows with rows of their own. */
    int kept() {
        return kept.size();
    }

    List<FlowRows> keptRows() {
        return new ArrayList<>(kept);
    }

    Map<List<String>, Long> drops() {
        return drops;
    }

    Summary.OtherFlows other(int maxFlows) {
        return new Summary.OtherFlows(maxFlows, flows, sent, received, lost, unaccounted, inFlight, retransmits);
    }

    private void addDrops(FlowRows rows) {
        rows.drops().forEach((k, v) -> drops.merge(k, v, Long::sum));
    }
}
