package io.vnettracer.cli.control;

import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.session.ProbeStatus;
import io.vnettracer.session.TraceSession;
import java.util.List;

/** What the control socket may do to a running trace; the change methods return microseconds taken. */
public interface LiveProbes {
    List<ProbeStatus> status();

    long addProbe(ProbeDefinition definition);

    long removeProbe(String name);

    long setFilter(String name, String expression);

    long setSample(String name, int every);

    static LiveProbes of(TraceSession session) {
        return new LiveProbes() {
            @Override public List<ProbeStatus> status() { return session.status(); }
            @Override public long addProbe(ProbeDefinition definition) { return session.addProbe(definition); }
            @Override public long removeProbe(String name) { return session.removeProbe(name); }
            @Override public long setFilter(String name, String expression) { return session.setFilter(name, expression); }
            @Override public long setSample(String name, int every) { return session.setSample(name, every); }
        };
    }
}
