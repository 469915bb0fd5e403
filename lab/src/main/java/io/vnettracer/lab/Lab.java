package io.vnettracer.lab;

import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Builds, inspects and removes labs (docs/LAB.md). {@code up} is idempotent and brings a lab to
 * exactly its topology; {@code down} removes what a lab made, from its state file and by its
 * marker ({@link LabMarker}), and nothing else; {@code status} compares the two.
 *
 * <pre>{@code
 * Lab lab = new Lab(StateStore.DEFAULT_DIR, line -> {});
 * lab.up(TopologyFile.read(Path.of("lab.yaml")));
 * }</pre>
 */
public final class Lab {
    private final StateStore store;
    private final Tools tools;

    /** {@code commandLog} sees each command line the lab runs (for --verbose). */
    public Lab(java.nio.file.Path stateDir, Consumer<String> commandLog) {
        this.store = new StateStore(stateDir);
        this.tools = new Tools(commandLog);
    }

    public LabState up(Topology topology) {
        return new LabUp(tools, store, topology.validate()).run();
    }

    /** Removes lab {@code name}; the topology (if given) helps only when the state file is gone. */
    public LabDown.Report down(String name, Optional<Topology> topology) {
        return new LabDown(tools, store).run(name, topology);
    }

    public LabStatus status(String name, Optional<Topology> topology) {
        return new LabInspector(tools, store).inspect(name, topology);
    }

    public Optional<LabState> state(String name) {
        return store.read(name);
    }

    /** The labs that have a state file. */
    public List<String> labs() {
        return store.labs();
    }

    public StateStore store() {
        return store;
    }
}
