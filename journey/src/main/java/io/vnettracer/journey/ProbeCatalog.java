package io.vnettracer.journey;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.agrona.collections.Int2IntHashMap;

/**
 * What the session tells the joiner about its probes: for each probe id written into events, a
 * name ("vm0/eth0:egress"), the spec it was attached from, optionally its position along the path,
 * and whether it is a drop probe (one that reports {@code DROP} events, not a point on the path).
 *
 * <p>Probes get dense indexes 0..size()-1 in the order they were added; the joiner keeps per-probe
 * state in arrays by index. Built once before the joiner starts; not safe to change afterwards.
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
    public record Probe(int index, int id, String name, String spec, int position, boolean dropProbe) {
        public boolean hasPosition() {
            return position != NO_POSITION;
        }
    }

    private final List<Probe> probes = new ArrayList<>();
    private final Int2IntHashMap indexById = new Int2IntHashMap(-1);

    /** Adds a probe on the path whose position is learned from timestamps. */
    public ProbeCatalog probe(int id, String name, String spec) {
        return add(id, name, spec, NO_POSITION, false);
    }

    /** Adds a probe on the path at a known position (smaller is closer to the sender). */
    public ProbeCatalog probe(int id, String name, String spec, int position) {
        return add(id, name, spec, position, false);
    }

    /** Adds a probe that reports drops (kind DROP, extra = the kernel's drop reason). */
    public ProbeCatalog dropProbe(int id, String name, String spec) {
        return add(id, name, spec, NO_POSITION, true);
    }

    private ProbeCatalog add(int id, String name, String spec, int position, boolean drop) {
        if (indexById.containsKey(id)) {
            throw new IllegalArgumentException("probe id " + id + " is already in the catalog as \""
                    + probes.get(indexById.get(id)).name() + "\"; give \"" + name + "\" another id");
        }
        indexById.put(id, probes.size());
        probes.add(new Probe(probes.size(), id, name, spec, position, drop));
        return this;
    }

    /** The index of probe {@code id}, or -1 if the catalog does not know it. Allocation-free. */
    public int indexOf(int id) {
        return indexById.get(id);
    }

    public Probe get(int index) {
        return probes.get(index);
    }

    public int size() {
        return probes.size();
    }

    public List<Probe> probes() {
        return Collections.unmodifiableList(probes);
    }
}
