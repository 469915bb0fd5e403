package io.vnettracer.cli.control;

import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.session.ProbeStatus;
import io.vnettracer.session.TraceSession;
import io.vnettracer.journey.ProbeCatalog;
import java.util.List;

/** What the control socket may do to a running trace; the change methods return microseconds taken. */
public interface LiveProbes {
    List<ProbeStatus> status();

    long addProbe(ProbeDefinition definition);

    long removeProbe(String name);

    long setFilter(String name, String expression);

    long setSample(String name, int every);

    /**
     * Changes to {@code session}; a probe added live is entered in {@code catalog} under its id before
     * it attaches, so its events join journeys from the first one.
     */
    static LiveProbes of(TraceSession session, ProbeCatalog catalog) {
        return new LiveProbes() {
            @Override public List<ProbeStatus> status() { return session.status(); }
            @Override public long addProbe(ProbeDefinition definition) {
                return session.addProbe(definition, id -> catalog.probeFromSpec(id, definition.name(), definition.spec().text()));
            }
            @Override public long removeProbe(String name) { return session.removeProbe(name); }
            @Override public long setFilter(String name, String expression) { return session.setFilter(name, expression); }
            @Override public long setSample(String name, int every) { return session.setSample(name, every); }
        };
    }
}
