package io.vnettracer.journey;

import java.util.List;

/**
 * What the session tells the joiner about its probes: for each probe id written into events, a
 * name ("vm0/eth0:egress"), the spec it was attached from, optionally its position along the path,
 * and its {@link Kind}: on the path, at a socket, or a drop probe (one that reports {@code DROP}
 * events, not a point on the path).
 *
 * <p>Probes get dense indexes 0..size()-1 in the order they were added; the joiner keeps per-probe
 * state in arrays by index, sized by its capacity. It may grow while in use (see {@link #probe}).
 */
public final class ProbeCatalog {
    /** The {@link Probe#position()} of a probe whose place on the path is to be learned from timestamps. */
    public static final int NO_POSITION = Integer.MIN_VALUE;

    /**
     * One probe.
     *
     * @param position where the probe sits along the path (smaller is closer to the sender), or
     *                 {@link #NO_POSITION}
     */
    public record Probe(int index, int id, String name, String spec, int position, Kind kind) {
        /** A probe that reports drops, never a point on a path. */
        public boolean dropProbe() {
            return kind == Kind.DROP;
        }

        /** A probe at the socket layer: TCP segments without payload never reach it (docs/JOURNEYS.md). */
        public boolean socketProbe() {
            return kind == Kind.SOCKET;
        }

        public boolean hasPosition() {
            return position != NO_POSITION;
        }

        /** The node (kernel) whose clock stamps this probe's events: see {@link ProbeCatalog#nodeOf(String)}. */
        public String node() {
            return nodeOf(name);
        }
    }

    /**
     * What a probe sees. The joiner needs it where a packet's journey ends: a socket probe sees
     * packets that carry data for an application, so a TCP segment without payload (SYN, pure ACK,
     * FIN) ends before it; a drop probe sees packets freed, not packets passing.
     */
    public enum Kind {
        /** A device or kernel tracepoint: every packet of a flow's path passes it. */
        PATH,
        /** The socket layer (sending or receiving application). */
        SOCKET,
        /** Reports {@code DROP} events (kfree_skb). */
        DROP;

        /**
         * The kind of probe a spec attaches, from its text as {@code ProbeSpec.text()} writes it
         * ({@code sock:NS:send}, {@code drops:NS}, {@code dev:...}, {@code kernel:...}): the one
         * place that knows, for catalogs built from scripts, stored traces and other nodes' catalogs.
         */
        public static Kind ofSpec(String specText) {
            int colon = specText.indexOf(':');
            String scheme = colon < 0 ? specText : specText.substring(0, colon);
            return switch (scheme) {
                case "sock" -> SOCKET;
                case "drops" -> DROP;
                default -> PATH;
            };
        }
    }

    /** The node of probes whose name has no {@code node/} prefix: the kernel the tracer runs on. */
    public static final String LOCAL_NODE = "local";

    /**
     * The node a probe name belongs to: what comes before its first {@code /} ({@code vm1} for
     * {@code vm1/eth0_out}), or {@link #LOCAL_NODE} when there is none. Probes of one node share one
     * kernel clock; probes of different nodes may not (docs/JOURNEYS.md, "Clocks across nodes").
     */
    public static String nodeOf(String probeName) {
        int slash = probeName.indexOf('/');
        return slash <= 0 ? LOCAL_NODE : probeName.substring(0, slash);
    }

    /** How many probes a catalog holds unless told otherwise: the session's limit. */
    public static final int DEFAULT_CAPACITY = 64;

    private final Probe[] probes;
    private final int[] indexById;
    private final int[] nodeByIndex;
    private final List<String> nodeNames = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile int size;

    /** A catalog for probe ids 0 .. {@value #DEFAULT_CAPACITY}-1. */
    public ProbeCatalog() {
        this(DEFAULT_CAPACITY);
    }

    /** A catalog for probe ids 0 .. capacity-1. */
    public ProbeCatalog(int capacity) {
        this.probes = new Probe[capacity];
        this.indexById = new int[capacity];
        this.nodeByIndex = new int[capacity];
        java.util.Arrays.fill(indexById, -1);
    }

    /**
     * Adds a probe on the path whose position is learned from timestamps; a socket probe (a
     * {@code sock:} spec) stays one, so that no caller can lose that by choosing this method.
     */
    public ProbeCatalog probe(int id, String name, String spec) {
        return add(id, name, spec, NO_POSITION, pathOrSocket(spec));
    }

    /** Adds a probe on the path at a known position (smaller is closer to the sender); as above for sockets. */
    public ProbeCatalog probe(int id, String name, String spec, int position) {
        return add(id, name, spec, position, pathOrSocket(spec));
    }

    private static Kind pathOrSocket(String spec) {
        return spec != null && Kind.ofSpec(spec) == Kind.SOCKET ? Kind.SOCKET : Kind.PATH;
    }

    /** Adds a probe that reports drops (kind DROP, extra = the kernel's drop reason). */
    public ProbeCatalog dropProbe(int id, String name, String spec) {
        return add(id, name, spec, NO_POSITION, Kind.DROP);
    }

    /** Adds a socket-layer probe on the path whose position is learned from timestamps. */
    public ProbeCatalog socketProbe(int id, String name, String spec) {
        return add(id, name, spec, NO_POSITION, Kind.SOCKET);
    }

    /** Adds the probe a spec attaches (its kind from the spec's text: {@link Kind#ofSpec}), its position learned from timestamps. */
    public ProbeCatalog probeFromSpec(int id, String name, String spec) {
        return probe(id, name, spec, Kind.ofSpec(spec), NO_POSITION);
    }

    /** Adds a probe of {@code kind}; {@code position} as for {@link #probe(int, String, String, int)} (ignored for drop probes). */
    public ProbeCatalog probe(int id, String name, String spec, Kind kind, int position) {
        return add(id, name, spec, kind == Kind.DROP ? NO_POSITION : position, kind);
    }

    /**
     * Adds a probe. A catalog may grow while a joiner uses it (probes added to a live trace), from
     * one thread at a time: the entry is complete before the new size is published.
     */
    private synchronized ProbeCatalog add(int id, String name, String spec, int position, Kind kind) {
        if (id < 0 || id >= indexById.length) {
            throw new IllegalArgumentException("probe id " + id + " is outside this catalog's 0.." + (indexById.length - 1));
        }
        if (indexById[id] >= 0) {
            throw new IllegalArgumentException("probe id " + id + " is already in the catalog as \""
                    + probes[indexById[id]].name() + "\"; give \"" + name + "\" another id");
        }
        int index = size;
        probes[index] = new Probe(index, id, name, spec, position, kind);
        String node = nodeOf(name);
        int nodeNumber = nodeNames.indexOf(node);
        if (nodeNumber < 0) {
            nodeNumber = nodeNames.size();
            nodeNames.add(node);
        }
        nodeByIndex[index] = nodeNumber;
        indexById[id] = index;
        size = index + 1;
        return this;
    }

    /** The index of probe {@code id}, or -1 if the catalog does not know it. Allocation-free. */
    public int indexOf(int id) {
        if (size == 0 || id < 0 || id >= indexById.length) {
            return -1;
        }
        return indexById[id];
    }

    /** The node number (0.. {@code nodes().size()-1}, in order of first appearance) of the probe at {@code index}. Allocation-free. */
    public int nodeNumber(int index) {
        return nodeByIndex[index];
    }

    /** The names of the nodes the catalog's probes belong to, by node number. */
    public List<String> nodes() {
        return List.copyOf(nodeNames);
    }

    public Probe get(int index) {
        return probes[index];
    }

    public int size() {
        return size;
    }

    /** The most probes this catalog can hold: what per-probe arrays are sized by. */
    public int capacity() {
        return probes.length;
    }

    public List<Probe> probes() {
        return List.of(java.util.Arrays.copyOf(probes, size));
    }
}
