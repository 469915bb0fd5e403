package io.vnettracer.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.vnettracer.journey.ProbeCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * One node's entry on the compacted catalog topic, keyed by node name, as JSON: the probes whose
 * ids its events carry, the names of its kernel's drop reasons, and, once its trace has finished,
 * the events each probe lost in its ring buffer.
 *
 * @param lost     events lost per probe id; empty while the trace runs
 * @param finished whether the node's trace has ended (its end-of-trace markers are written)
 */
public record NodeCatalog(int format, String node, int nodeId, List<Probe> probes, Map<Integer, String> dropReasons,
                          Map<Integer, Long> lost, boolean finished) {
    public static final int FORMAT = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One probe as the node's trace numbered it. */
    public record Probe(int id, String name, String spec, boolean dropProbe) {}

    /** The id a node's entries carry: CRC-32C of its name (collisions are refused by the collector). */
    public static int nodeId(String node) {
        CRC32C crc = new CRC32C();
        crc.update(node.getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }

    static NodeCatalog of(String node, ProbeCatalog catalog, Map<Integer, String> dropReasons) {
        List<Probe> probes = new ArrayList<>();
        for (ProbeCatalog.Probe p : catalog.probes()) {
            probes.add(new Probe(p.id(), p.name(), p.spec(), p.dropProbe()));
        }
        return new NodeCatalog(FORMAT, node, nodeId(node), List.copyOf(probes), new TreeMap<>(dropReasons), Map.of(), false);
    }

    NodeCatalog finished(Map<Integer, Long> lostByProbeId) {
        return new NodeCatalog(format, node, nodeId, probes, dropReasons, new TreeMap<>(lostByProbeId), true);
    }

    byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static NodeCatalog fromJson(byte[] json) {
        try {
            NodeCatalog c = JSON.readValue(json, NodeCatalog.class);
            if (c.format() != FORMAT) {
                throw new IllegalArgumentException("catalog format " + c.format() + ", this build reads " + FORMAT);
            }
            return c;
        } catch (IOException e) {
            throw new IllegalArgumentException("unreadable catalog entry: " + e.getMessage(), e);
        }
    }
}
