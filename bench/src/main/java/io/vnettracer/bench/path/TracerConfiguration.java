package io.vnettracer.bench.path;

import io.vnettracer.event.EventView;
import io.vnettracer.journey.JoinerConfig;
import io.vnettracer.journey.JourneyJoiner;
import io.vnettracer.journey.ProbeCatalog;
import io.vnettracer.lab.LabNames;
import io.vnettracer.probe.script.IdentityMode;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.probe.script.TracingScript;
import io.vnettracer.probe.spec.ProbeSpecParser;
import io.vnettracer.session.EventConsumer;
import io.vnettracer.session.FilterCompiler;
import io.vnettracer.session.SessionOptions;
import io.vnettracer.session.TraceSession;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * vNetTracer in this process: a {@link TraceSession} whose events go to a {@link JourneyJoiner}
 * advanced after every drain pass, as {@code vnettracer trace} does (without its live view and
 * events file). Identity is by fingerprint, so packets are not changed. One session per load.
 */
final class TracerConfiguration implements Configuration {
    private final String label;
    private final boolean wholePath;

    private TracerConfiguration(String label, boolean wholePath) {
        this.label = label;
        this.wholePath = wholePath;
    }

    /** (b): the two VM interfaces, every packet recorded, no filter. */
    static TracerConfiguration twoProbes() {
        return new TracerConfiguration("(b) vNetTracer 2 probes", false);
    }

    /** (c): both sockets, both VM interfaces, both bridge ports, filtered to the load's packets. */
    static TracerConfiguration sixProbes() {
        return new TracerConfiguration("(c) vNetTracer 6 probes", true);
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public String description() {
        return wholePath
                ? "TraceSession, 6 recording probes (sock send vm0, dev vm0 eth0 egress, bridge port of vm0 ingress,"
                        + " bridge port of vm1 egress, dev vm1 eth0 ingress, sock recv vm1), filter = the load's protocol and port,"
                        + " fingerprint identity, events joined by a JourneyJoiner"
                : "TraceSession, 2 recording probes (dev vm0 eth0 egress, dev vm1 eth0 ingress), no filter (every packet),"
                        + " fingerprint identity, events joined by a JourneyJoiner";
    }

    @Override
    public Attached attach(PathLab lab, PathWorkload workload) {
        TracingScript script = script(lab.names(), wholePath ? workload.filter() : null);
        ProbeCatalog catalog = new ProbeCatalog();
        for (int id = 0; id < script.probes().size(); id++) {
            ProbeDefinition p = script.probes().get(id);
            catalog.probeFromSpec(id, p.name(), p.spec().text());
        }
        JourneyJoiner joiner = new JourneyJoiner(catalog, JoinerConfig.defaults());
        Joining consumer = new Joining(joiner);
        TraceSession session = TraceSession.start(script, FilterCompiler.PCAP, consumer, SessionOptions.DEFAULT);
        int probes = script.probes().size();
        return new Attached() {
            private boolean closed;

            @Override
            public String finish() {
                close();
                joiner.flush();
                long lost = 0;
                for (int id = 0; id < probes; id++) {
                    lost += session.lostEvents(id);
                }
                return String.format("%,d events joined, %,d lost (ring full)", consumer.events, lost);
            }

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    session.close();
                }
            }
        };
    }

    static TracingScript script(LabNames names, String filter) {
        String client = names.vmNamespace(PathLab.CLIENT);
        String server = names.vmNamespace(PathLab.SERVER);
        String sw = names.switchNamespace();
        Map<String, String> specs = new LinkedHashMap<>();
        if (filter != null) {
            specs.put("app_tx", "sock:" + client + ":send");
        }
        specs.put("client_out", "dev:" + client + "/" + LabNames.VM_INTERFACE + ":egress");
        if (filter != null) {
            specs.put("switch_in", "dev:" + sw + "/" + names.port(PathLab.CLIENT) + ":ingress");
            specs.put("switch_out", "dev:" + sw + "/" + names.port(PathLab.SERVER) + ":egress");
        }
        specs.put("server_in", "dev:" + server + "/" + LabNames.VM_INTERFACE + ":ingress");
        if (filter != null) {
            specs.put("app_rx", "sock:" + server + ":recv");
        }
        List<ProbeDefinition> probes = new ArrayList<>();
        specs.forEach((name, spec) -> probes.add(ProbeDefinition.recording(name, ProbeSpecParser.parse(spec))));
        return new TracingScript(probes, filter, IdentityMode.FINGERPRINT);
    }

    /** Joins on the drain thread and counts; the joiner is advanced to now after each pass, as the trace command does. */
    private static final class Joining implements EventConsumer {
        private final JourneyJoiner joiner;
        private volatile long events;

        Joining(JourneyJoiner joiner) {
            this.joiner = joiner;
        }

        @Override
        public void onEvent(EventView event) {
            joiner.onEvent(event);
            events++;
        }

        @Override
        public void afterDrain(int count) {
            joiner.advanceTo(System.nanoTime());
        }
    }
}
