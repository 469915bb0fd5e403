package io.vnettracer.session.path;

import io.vnettracer.bpf.btf.Btf;
import io.vnettracer.journey.JoinerConfig;
import io.vnettracer.journey.JourneyJoiner;
import io.vnettracer.journey.ProbeCatalog;
import io.vnettracer.journey.Summary;
import io.vnettracer.journey.aggregate.AggregateSummaryBuilder;
import io.vnettracer.probe.script.IdentityMode;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.probe.script.TracingScript;
import io.vnettracer.probe.spec.ProbeSpecParser;
import io.vnettracer.probe.testing.BridgedNamespaces;
import io.vnettracer.session.FilterCompiler;
import io.vnettracer.session.SessionOptions;
import io.vnettracer.session.TraceSession;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The tracer's reference path: sender namespace A -> veth -> bridge (its own namespace) -> veth ->
 * receiver namespace B, with probes at both sockets, both namespace interfaces and both bridge
 * ports, and a drop probe in B; events joined into journeys as the trace command does.
 */
final class TracedPath implements AutoCloseable {
    static final List<String> PATH = List.of("app_tx", "a_out", "br_in", "br_out", "b_in", "app_rx");

    final BridgedNamespaces net;
    final JourneyJoiner joiner;
    final TraceSession session;
    /** Aggregate mode: the probes add up in the kernel (nothing joined here); null in record mode. */
    private final AggregateSummaryBuilder aggregation;

    /** The same path in aggregate mode: every probe aggregates in the kernel, identity by fingerprint. */
    static TracedPath aggregating(BridgedNamespaces net, String filter) {
        return aggregating(net, filter, SessionOptions.DEFAULT);
    }

    static TracedPath aggregating(BridgedNamespaces net, String filter, SessionOptions options) {
        return new TracedPath(net, filter, IdentityMode.FINGERPRINT, e -> { }, options, true);
    }

    TracedPath(BridgedNamespaces net, String filter, IdentityMode identity) {
        this(net, filter, identity, e -> { });
    }

    /** With {@code tap} seeing every event too, before the joiner. */
    TracedPath(BridgedNamespaces net, String filter, IdentityMode identity, io.vnettracer.session.EventConsumer tap) {
        this(net, filter, identity, tap, SessionOptions.DEFAULT);
    }

    TracedPath(BridgedNamespaces net, String filter, IdentityMode identity, io.vnettracer.session.EventConsumer tap,
               SessionOptions options) {
        this(net, filter, identity, tap, options, false);
    }

    private TracedPath(BridgedNamespaces net, String filter, IdentityMode identity, io.vnettracer.session.EventConsumer tap,
                       SessionOptions options, boolean aggregate) {
        this.net = net;
        List<ProbeDefinition> probes = new ArrayList<>();
        Map<String, String> specs = new java.util.LinkedHashMap<>();
        specs.put("app_tx", "sock:" + net.a + ":send");
        specs.put("a_out", "dev:" + net.a + "/" + net.aInner + ":egress");
        specs.put("br_in", "dev:" + net.bridgeNamespace + "/" + net.aPort + ":ingress");
        specs.put("br_out", "dev:" + net.bridgeNamespace + "/" + net.bPort + ":egress");
        specs.put("b_in", "dev:" + net.b + "/" + net.bInner + ":ingress");
        specs.put("app_rx", "sock:" + net.b + ":recv");
        specs.put("drops", "drops:" + net.b);
        ProbeCatalog catalog = new ProbeCatalog();
        int id = 0;
        for (var e : specs.entrySet()) {
            ProbeDefinition def = ProbeDefinition.recording(e.getKey(), ProbeSpecParser.parse(e.getValue()));
            probes.add(aggregate ? def.withActions(java.util.EnumSet.of(io.vnettracer.probe.script.Action.HISTOGRAM)) : def);
            // The session numbers probes in script order from 0.
            if (e.getKey().equals("drops")) {
                catalog.dropProbe(id, e.getKey(), e.getValue());
            } else {
                catalog.probe(id, e.getKey(), e.getValue(), id);
            }
            id++;
        }
        var reasons = Btf.kernel().enumeration("skb_drop_reason").namesByValue();
        java.util.function.IntFunction<String> reasonNames = code -> reasons.getOrDefault((long) code, "reason " + code);
        this.joiner = new JourneyJoiner(catalog, JoinerConfig.defaults().withDropReasonNames(reasonNames));
        this.aggregation = aggregate ? new AggregateSummaryBuilder(catalog, reasonNames) : null;
        this.session = TraceSession.start(new TracingScript(probes, filter, identity), FilterCompiler.PCAP,
                e -> {
                    tap.onEvent(e);
                    joiner.onEvent(e);
                }, options);
    }

    /** Stops tracing and returns the summary of everything seen. */
    Summary finish() {
        session.close();
        if (aggregation != null) {
            return aggregation.build(session.aggregates(System.nanoTime()));
        }
        joiner.flush();
        return joiner.summary(session::lostEvents);
    }

    @Override
    public void close() {
        session.close();
    }
}
