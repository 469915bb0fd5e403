package io.vnettracer.export;

import io.vnettracer.bpf.btf.Btf;
import io.vnettracer.journey.FinishedJourney;
import io.vnettracer.journey.JoinerConfig;
import io.vnettracer.journey.JourneyJoiner;
import io.vnettracer.journey.ProbeCatalog;
import io.vnettracer.journey.Summary;
import io.vnettracer.probe.script.IdentityMode;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.probe.script.TracingScript;
import io.vnettracer.probe.spec.ProbeSpecParser;
import io.vnettracer.probe.testing.BridgedNamespaces;
import io.vnettracer.session.EventConsumer;
import io.vnettracer.session.FilterCompiler;
import io.vnettracer.session.SessionOptions;
import io.vnettracer.session.TraceSession;
import io.vnettracer.event.EventView;
import io.vnettracer.sinks.TraceSink;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The reference path traced as the trace command does it: probes at both sockets, both namespace
 * interfaces and both bridge ports, a drop probe in B; events joined on the drain thread, every
 * finalized journey handed to the sinks and recorded for the test, a summary published about once a
 * second and handed to the sinks by {@link #publish} from the test's thread.
 */
final class TracedExport implements AutoCloseable {
    static final List<String> PATH = List.of("app_tx", "a_out", "br_in", "br_out", "b_in", "app_rx");

    /** A finalized journey as the joiner gave it. */
    record Recorded(long sequence, long identity, List<String> probes, long[] timestamps, int[] bytes, String dropProbe) {}

    final ProbeCatalog catalog = new ProbeCatalog();
    final IntFunction<String> reasons;
    final JoinerConfig config;
    final JourneyJoiner joiner;
    final List<TraceSink> sinks;
    final List<Recorded> journeys = Collections.synchronizedList(new ArrayList<>());
    final TraceSession session;
    private final AtomicReference<Summary> published = new AtomicReference<>();
    private long nextPublish;

    TracedExport(BridgedNamespaces net, String filter, BiFunction<TracedExport, ProbeCatalog, List<TraceSink>> openSinks) {
        Map<String, String> specs = new LinkedHashMap<>();
        specs.put("app_tx", "sock:" + net.a + ":send");
        specs.put("a_out", "dev:" + net.a + "/" + net.aInner + ":egress");
        specs.put("br_in", "dev:" + net.bridgeNamespace + "/" + net.aPort + ":ingress");
        specs.put("br_out", "dev:" + net.bridgeNamespace + "/" + net.bPort + ":egress");
        specs.put("b_in", "dev:" + net.b + "/" + net.bInner + ":ingress");
        specs.put("app_rx", "sock:" + net.b + ":recv");
        specs.put("drops", "drops:" + net.b);
        List<ProbeDefinition> probes = new ArrayList<>();
        int id = 0;
        for (var e : specs.entrySet()) {
            probes.add(ProbeDefinition.recording(e.getKey(), ProbeSpecParser.parse(e.getValue())));
            if (e.getKey().equals("drops")) {
                catalog.dropProbe(id, e.getKey(), e.getValue());
            } else {
                catalog.probe(id, e.getKey(), e.getValue());
            }
            id++;
        }
        var names = Btf.kernel().enumeration("skb_drop_reason").namesByValue();
        reasons = code -> names.get((long) code);
        config = JoinerConfig.defaults().withDropReasonNames(reasons);
        joiner = new JourneyJoiner(catalog, config);
        sinks = openSinks.apply(this, catalog);
        joiner.setListener(journey -> {
            record(journey);
            for (TraceSink sink : sinks) sink.onJourney(journey);
        });
        EventConsumer consumer = new EventConsumer() {
            @Override
            public void onEvent(EventView event) {
                joiner.onEvent(event);
                for (TraceSink sink : sinks) sink.onEvent(event);
            }

            @Override
            public void afterDrain(int events) {
                long now = System.nanoTime();
                joiner.advanceTo(now);
                TraceSession s = sessionOrNull;
                if (s != null && now >= nextPublish) {
                    nextPublish = now + 1_000_000_000L;
                    published.set(joiner.summary(s::lostEvents));
                }
            }
        };
        session = TraceSession.start(new TracingScript(probes, filter, IdentityMode.FINGERPRINT), FilterCompiler.PCAP,
                consumer, SessionOptions.DEFAULT);
        sessionOrNull = session;
    }

    private volatile TraceSession sessionOrNull;

    private void record(FinishedJourney j) {
        List<String> names = new ArrayList<>();
        long[] ts = new long[j.hops()];
        int[] bytes = new int[j.hops()];
        for (int i = 0; i < j.hops(); i++) {
            names.add(catalog.get(j.hopProbe(i)).name());
            ts[i] = j.hopTimestamp(i);
            bytes[i] = j.hopBytes(i);
        }
        journeys.add(new Recorded(j.sequence(), j.identityKey(), names, ts, bytes,
                j.dropProbe() < 0 ? null : catalog.get(j.dropProbe()).name()));
    }

    /** Hands the latest published summary to the sinks, as the trace command's live loop does; returns it. */
    Summary publish() {
        Summary latest = published.get();
        if (latest != null) {
            for (TraceSink sink : sinks) sink.onSummary(latest);
        }
        return latest;
    }

    /** Stops tracing, finalizes every journey and hands the final summary to the sinks. */
    Summary finish() {
        session.close();
        joiner.flush();
        Summary summary = joiner.summary(session::lostEvents);
        for (TraceSink sink : sinks) sink.finish(summary);
        return summary;
    }

    @Override
    public void close() {
        session.close();
        for (TraceSink sink : sinks) sink.close();
    }
}
