package io.vnettracer.journey;

import java.util.List;
import java.util.Map;

/**
 * One flow's final figures as a summary lists them ({@link FlowFigures}): its row, its path's
 * segments and where its journeys vanished.
 *
 * @param order    when the flow appeared (summaries list flows in that order)
 * @param flow     null when no path probe saw the flow (only drop probes did): it has no row
 * @param drops    journeys that vanished, by [point, reason]
 */
record FlowRows(long order, Summary.Flow flow, List<Summary.Segment> segments, Map<List<String>, Long> drops) {
    /** Journeys the flow's first path probe saw: what a summary weighs flows by. */
    long sent() {
        return flow == null ? 0 : flow.sent();
    }
}
