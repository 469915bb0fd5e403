package io.vnettracer.remote.collect;

import io.vnettracer.journey.ProbeCatalog;
import io.vnettracer.probe.script.Action;
import io.vnettracer.probe.script.IdentityMode;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.probe.script.TagPart;
import io.vnettracer.probe.program.TagRole;
import io.vnettracer.probe.script.TracingScript;
import io.vnettracer.probe.spec.ProbeSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A collector's script cut into one script per node. Probes are named {@code NODE/NAME}; the node's
 * script names the probe {@code NAME} and keeps its spec, clauses, the global filter and identity.
 * Probe ids: the agent numbers its probes from 0 in its script's order; the joiner knows probe
 * {@code NODE/NAME} under its position in the collector's script.
 */
public final class NodeScripts {
    private final TracingScript script;
    private final Map<String, List<ProbeDefinition>> byNode = new LinkedHashMap<>();
    private final Map<String, int[]> globalIds = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<LiveProbe> live = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * A probe added to a node while the trace runs: named {@code NODE/NAME}, joined under the id
     * {@link #globalId} gives it. Its place on the path is not known; it is placed after the
     * script's probes of its node (so it stays among its node's probes), see {@link #catalog()}.
     */
    public record LiveProbe(String node, int localId, String name, String spec, boolean dropProbe, int globalId) {}

    /** Positions are spaced so that probes added live fit between a node's last probe and the next node's first. */
    private static final int POSITION_SPACING = 1_000;

    private NodeScripts(TracingScript script) {
        this.script = script;
    }

    /** Splits {@code script} over {@code nodes}; throws IllegalArgumentException for what cannot be split. */
    public static NodeScripts split(TracingScript script, List<String> nodes) {
        NodeScripts out = new NodeScripts(script);
        nodes.forEach(n -> out.byNode.put(n, new ArrayList<>()));
        Map<String, List<Integer>> ids = new LinkedHashMap<>();
        nodes.forEach(n -> ids.put(n, new ArrayList<>()));
        List<ProbeDefinition> all = script.probes();
        for (int i = 0; i < all.size(); i++) {
            ProbeDefinition p = all.get(i);
            int slash = p.name().indexOf('/');
            String node = slash > 0 ? p.name().substring(0, slash) : null;
            if (node == null || slash == p.name().length() - 1) {
                throw new IllegalArgumentException("probe '" + p.name() + "': name it NODE/NAME, NODE one of the agents "
                        + nodes + " (e.g. " + nodes.get(0) + "/" + p.name().replace("/", "_") + ")");
            }
            if (!out.byNode.containsKey(node)) {
                throw new IllegalArgumentException("probe '" + p.name() + "': no agent named '" + node + "'; agents are "
                        + nodes + " (--agent NAME=HOST:PORT)");
            }
            out.byNode.get(node).add(new ProbeDefinition(p.name().substring(slash + 1), p.spec(), p.filter(),
                    p.actions(), p.sampleEvery(), tagPart(p, script)));
            ids.get(node).add(i);
        }
        for (String n : nodes) {
            if (out.byNode.get(n).isEmpty()) {
                throw new IllegalArgumentException("agent '" + n + "' has no probes in the script; name some '" + n + "/NAME'");
            }
            out.globalIds.put(n, ids.get(n).stream().mapToInt(Integer::intValue).toArray());
        }
        return out;
    }

    /**
     * In tag mode, a device probe's part decided over the whole script (the first egress device
     * probe writes, the last ingress one strips, the others read) and written into its node's
     * script: a node's own part could not tell, and two nodes would both write.
     */
    private static TagPart tagPart(ProbeDefinition p, TracingScript script) {
        if (p.tagPart() != null || script.identity() != IdentityMode.TAG || !(p.spec() instanceof ProbeSpec.Device)) {
            return p.tagPart();
        }
        return switch (TagRole.of(p, script.probes(), script.identity())) {
            case WRITE -> TagPart.WRITE;
            case STRIP -> TagPart.STRIP;
            case READ, NONE -> TagPart.READ;
        };
    }

    public List<String> nodes() {
        return List.copyOf(byNode.keySet());
    }

    public TracingScript whole() {
        return script;
    }

    /** The script text pushed to {@code node}. */
    public String scriptOf(String node) {
        StringBuilder out = new StringBuilder();
        out.append("identity ").append(script.identity().word()).append('\n');
        if (script.globalFilter() != null && !script.globalFilter().isBlank()) {
            out.append("filter ").append(quote(script.globalFilter())).append('\n');
        }
        for (ProbeDefinition p : byNode.get(node)) {
            out.append(probeLine(p)).append('\n');
        }
        return out.toString();
    }

    /** One script line {@code probe NAME SPEC [CLAUSES]} for {@code p} (named as the node knows it). */
    public static String probeLine(ProbeDefinition p) {
        StringBuilder out = new StringBuilder();
        out.append("probe ").append(p.name()).append(' ').append(p.spec().text());
        if (!p.actions().isEmpty()) {
            out.append(" actions ").append(p.actions().stream().map(Action::word).collect(Collectors.joining(",")));
        }
        out.append(" sample 1/").append(p.sampleEvery());
        if (p.tagPart() != null) {
            out.append(" tag ").append(p.tagPart().word());
        }
        if (p.filter() != null) {
            out.append(" filter ").append(quote(p.filter()));
        }
        return out.toString();
    }

    /**
     * Registers a probe an agent attached while the trace runs ({@code name} without the node
     * prefix, {@code localId} the agent's id), so its records join under {@code NODE/NAME} instead
     * of counting as unknown. Registering one the node already has (same local id) returns it.
     */
    public synchronized LiveProbe addLive(String node, int localId, String name, String spec, boolean dropProbe) {
        int[] ids = globalIds.get(node);
        if (ids == null) {
            throw new IllegalArgumentException("no agent named '" + node + "'; agents are " + byNode.keySet());
        }
        if (localId < 0) {
            throw new IllegalArgumentException("probe id " + localId + " of node " + node + " is negative");
        }
        if (localId < ids.length && ids[localId] >= 0) {
            int existing = ids[localId];
            return live.stream().filter(l -> l.globalId() == existing).findFirst().orElse(null);
        }
        int global = probeCount();
        LiveProbe probe = new LiveProbe(node, localId, node + "/" + name, spec, dropProbe, global);
        int[] grown = java.util.Arrays.copyOf(ids, Math.max(ids.length, localId + 1));
        java.util.Arrays.fill(grown, ids.length, grown.length, -1);
        grown[localId] = global;
        live.add(probe);
        globalIds.put(node, grown);
        return probe;
    }

    /** Probes added live, in the order they were registered. */
    public List<LiveProbe> live() {
        return List.copyOf(live);
    }

    /** Whether {@code node}'s probe {@code localId} is known (in the script or registered live). */
    public boolean knows(String node, int localId) {
        return globalId(node, localId) >= 0;
    }

    /** Probes of the script plus those added live: the joiner's ids are 0 .. this - 1. */
    public int probeCount() {
        return script.probes().size() + live.size();
    }

    /** The joiner's probe id of the {@code localId}-th probe of {@code node} (script order, then live adds), or -1. */
    public int globalId(String node, int localId) {
        int[] ids = globalIds.get(node);
        return ids != null && localId >= 0 && localId < ids.length ? ids[localId] : -1;
    }

    /**
     * Every probe under its {@code NODE/NAME} and the id {@link #globalId} gives it, positioned in
     * script order: across nodes, timestamps are only as good as the clock offsets (tens of µs at
     * best over RPC), coarser than the hops between them, so the script's order is the path.
     */
    public ProbeCatalog catalog() {
        List<ProbeDefinition> all = script.probes();
        List<LiveProbe> added = live();
        ProbeCatalog catalog = new ProbeCatalog(Math.max(ProbeCatalog.DEFAULT_CAPACITY, all.size() + added.size()));
        Map<String, Integer> lastOfNode = new LinkedHashMap<>();
        for (int id = 0; id < all.size(); id++) {
            ProbeDefinition p = all.get(id);
            catalog.probe(id, p.name(), p.spec().text(), ProbeCatalog.Kind.ofSpec(p.spec().text()), id * POSITION_SPACING);
            if (!(p.spec() instanceof ProbeSpec.Drops)) {
                lastOfNode.put(p.name().substring(0, p.name().indexOf('/')), id);
            }
        }
        Map<String, Integer> addedOnNode = new LinkedHashMap<>();
        for (LiveProbe l : added) {
            if (l.dropProbe()) {
                catalog.dropProbe(l.globalId(), l.name(), l.spec());
                continue;
            }
            // After the node's last probe of the script, in the order added: the node's place on the path is known,
            // the probe's place within the node is not (a node with only a drop probe: after the whole script).
            int after = lastOfNode.getOrDefault(l.node(), all.size());
            int k = addedOnNode.merge(l.node(), 1, Integer::sum);
            catalog.probe(l.globalId(), l.name(), l.spec(), ProbeCatalog.Kind.ofSpec(l.spec()),
                    after * POSITION_SPACING + Math.min(k, POSITION_SPACING - 1));
        }
        return catalog;
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
