package io.vnettracer.journey.clock;

import io.vnettracer.journey.Summary;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every node's estimated clock against {@code reference}.
 *
 * @param conflicts node pairs whose crossing traffic contradicted the other estimates (each a
 *                  sentence); their traffic was not used
 */
public record ClockAlignment(String reference, List<NodeClock> nodes, List<String> conflicts) {
    public ClockAlignment {
        nodes = List.copyOf(nodes);
        conflicts = List.copyOf(conflicts);
    }

    /** The node's clock, or null when the alignment does not know the node. */
    public NodeClock node(String name) {
        for (NodeClock n : nodes) if (n.node().equals(name)) return n;
        return null;
    }

    /** The offsets of the nodes whose clock is known, by node name: what a {@link ClockCorrector} applies. */
    public Map<String, ClockOffset> offsets() {
        Map<String, ClockOffset> out = new LinkedHashMap<>();
        for (NodeClock n : nodes) if (n.known()) out.put(n.node(), n.offset());
        return out;
    }

    /** The nodes as the summary lists them ({@code JourneyJoiner.setNodeClocks}). */
    public List<Summary.Node> summaryNodes() {
        List<Summary.Node> out = new ArrayList<>();
        for (NodeClock n : nodes) {
            out.add(n.known()
                    ? new Summary.Node(n.node(), n.offset().offsetNanos(), n.offset().uncertaintyNanos(), n.source().label())
                    : new Summary.Node(n.node(), 0, Summary.Node.UNKNOWN, n.source().label()));
        }
        return List.copyOf(out);
    }
}
