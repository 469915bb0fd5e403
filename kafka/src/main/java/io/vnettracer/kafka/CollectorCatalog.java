package io.vnettracer.kafka;

import io.vnettracer.journey.ProbeCatalog;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.agrona.collections.Long2LongHashMap;

/**
 * The probes of every node a collector has heard of, in one {@link ProbeCatalog} shared by its
 * partitions' joiners: node N's probe p becomes "N/p" under a collector-wide id. Fed from the
 * catalog topic; read per event (allocation-free) by the consumer thread, which is also the only
 * thread that adds to it.
 */
final class CollectorCatalog {
    private final ProbeCatalog probes;
    private final Long2LongHashMap globalIdByNodeProbe = new Long2LongHashMap(-1);
    private final Map<Integer, NodeCatalog> nodes = new HashMap<>();
    private final Map<Integer, String> dropReasons = new HashMap<>();

    CollectorCatalog(int maxProbes) {
        this.probes = new ProbeCatalog(maxProbes);
    }

    ProbeCatalog probes() {
        return probes;
    }

    /** Adds a node's probes (or its final entry, with losses); a node name whose id another has is refused. */
    void add(NodeCatalog node) {
        NodeCatalog known = nodes.get(node.nodeId());
        if (known != null && !known.node().equals(node.node())) {
            throw new IllegalStateException("nodes '" + known.node() + "' and '" + node.node() + "' have the same id "
                    + node.nodeId() + "; rename one of them (--node)");
        }
        for (NodeCatalog.Probe p : node.probes()) {
            long key = key(node.nodeId(), p.id());
            if (globalIdByNodeProbe.get(key) >= 0) continue;
            int id = probes.size();
            if (id >= probes.capacity()) {
                throw new IllegalStateException("more than " + probes.capacity() + " probes over all nodes; raise --max-probes");
            }
            String name = node.node() + "/" + p.name();
            if (p.dropProbe()) probes.dropProbe(id, name, p.spec());
            else probes.probeFromSpec(id, name, p.spec());
            globalIdByNodeProbe.put(key, id);
        }
        node.dropReasons().forEach(dropReasons::putIfAbsent);
        nodes.put(node.nodeId(), node);
    }

    /** The collector-wide probe id of a node's probe, or -1 when its catalog has not been read. */
    int globalId(int nodeId, int probeId) {
        return (int) globalIdByNodeProbe.get(key(nodeId, probeId));
    }

    boolean knows(int nodeId) {
        return nodes.containsKey(nodeId);
    }

    Set<Integer> nodeIds() {
        return nodes.keySet();
    }

    String dropReason(int code) {
        return dropReasons.get(code);
    }

    /** Ring-buffer losses by collector-wide probe name, from nodes whose trace has finished. */
    Map<String, Long> lostByProbeName() {
        Map<String, Long> lost = new HashMap<>();
        for (NodeCatalog n : nodes.values()) {
            for (NodeCatalog.Probe p : n.probes()) {
                lost.put(n.node() + "/" + p.name(), n.lost().getOrDefault(p.id(), 0L));
            }
        }
        return lost;
    }

    List<NodeCatalog> nodes() {
        return List.copyOf(nodes.values());
    }

    private static long key(int nodeId, int probeId) {
        return ((long) nodeId << 32) | (probeId & 0xFFFF_FFFFL);
    }
}
