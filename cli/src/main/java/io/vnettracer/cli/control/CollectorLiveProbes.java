package io.vnettracer.cli.control;

import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.remote.collect.Collector;
import io.vnettracer.remote.collect.NodeScripts;
import io.vnettracer.remote.proto.ChangeRequest;
import io.vnettracer.remote.proto.SetFilter;
import io.vnettracer.remote.proto.SetSample;
import io.vnettracer.session.ProbeStatus;
import java.util.List;

/**
 * The control socket of {@code vnettracer collect}: probes are named {@code NODE/NAME} as in the
 * collector's script, and each change goes to that node's agent ({@link Collector#change}), which
 * applies it to its session as {@code vnettracer trace} would. The microseconds returned are the
 * agent's (the time its session took), not the round trip.
 */
public final class CollectorLiveProbes implements LiveProbes {
    private final Collector collector;

    public CollectorLiveProbes(Collector collector) {
        this.collector = collector;
    }

    @Override
    public List<ProbeStatus> status() {
        return collector.status();
    }

    @Override
    public long addProbe(ProbeDefinition definition) {
        Name n = Name.of(definition.name());
        ProbeDefinition local = new ProbeDefinition(n.probe, definition.spec(), definition.filter(), definition.actions(),
                definition.sampleEvery());
        return collector.change(n.node, ChangeRequest.newBuilder().setAddProbe(NodeScripts.probeLine(local)).build()).getMicros();
    }

    @Override
    public long removeProbe(String name) {
        Name n = Name.of(name);
        return collector.change(n.node, ChangeRequest.newBuilder().setRemoveProbe(n.probe).build()).getMicros();
    }

    @Override
    public long setFilter(String name, String expression) {
        Name n = Name.of(name);
        return collector.change(n.node, ChangeRequest.newBuilder()
                .setSetFilter(SetFilter.newBuilder().setProbe(n.probe).setExpression(expression)).build()).getMicros();
    }

    @Override
    public long setSample(String name, int every) {
        Name n = Name.of(name);
        return collector.change(n.node, ChangeRequest.newBuilder()
                .setSetSample(SetSample.newBuilder().setProbe(n.probe).setEvery(every)).build()).getMicros();
    }

    private record Name(String node, String probe) {
        static Name of(String name) {
            int slash = name.indexOf('/');
            if (slash <= 0 || slash == name.length() - 1) {
                throw new IllegalArgumentException("probe '" + name + "': name it NODE/NAME, NODE one of the agents"
                        + " (e.g. vm1/" + name.replace("/", "_") + ")");
            }
            return new Name(name.substring(0, slash), name.substring(slash + 1));
        }
    }
}
