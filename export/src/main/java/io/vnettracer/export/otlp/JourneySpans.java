package io.vnettracer.export.otlp;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import io.vnettracer.journey.FlowKey;
import io.vnettracer.journey.ProbeCatalog;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * One journey as OTLP spans (layout in docs/EXPORTS.md): a root span from the first sighting to the
 * last, a child per pair of consecutive sightings named {@code "from → to"}, and for a journey a
 * drop probe saw freed, a zero-length child {@code "last → drop probe"} at the last sighting with
 * status error. Ids are derived from the journey, so the same journey always gives the same trace:
 * trace id = identity key (8 bytes) then the first sighting's epoch nanoseconds (8 bytes); span ids
 * are a mix of the trace id and the span's index.
 */
final class JourneySpans {
    static final String ARROW = " → ";

    private final ProbeCatalog catalog;
    private final IntFunction<String> dropReasonNames;
    private final ClockOffset clock;

    JourneySpans(ProbeCatalog catalog, IntFunction<String> dropReasonNames, ClockOffset clock) {
        this.catalog = catalog;
        this.dropReasonNames = dropReasonNames;
        this.clock = clock;
    }

    /** The spans of the journey copied into {@code slot}, root first; none for a journey without sightings. */
    void spans(JourneyRing.Slot slot, Consumer<Span> out) {
        int hops = slot.hops;
        if (hops == 0) {
            return;
        }
        long identity = slot.identity;
        long start = clock.toEpochNanos(slot.hopTs[0]);
        long end = clock.toEpochNanos(slot.hopTs[hops - 1]);
        ByteString traceId = traceId(identity, start);
        long rootId = spanId(identity, start, 0);
        ByteString root = bytes(rootId);
        FlowKey flow = slot.flow;
        String flowName = flow == null ? "unknown flow" : flow.toString();
        boolean dropped = slot.dropProbe >= 0;
        String reason = dropped ? reasonName(slot.dropReason) : null;

        Span.Builder journey = Span.newBuilder().setTraceId(traceId).setSpanId(root)
                .setName("journey " + name(slot.hopProbe[0]) + ARROW + name(slot.hopProbe[hops - 1]))
                .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
                .setStartTimeUnixNano(start).setEndTimeUnixNano(end)
                .addAttributes(string("vnettracer.flow", flowName))
                .addAttributes(string("vnettracer.identity", String.format("%016x", identity)))
                .addAttributes(integer("vnettracer.sequence", slot.sequence))
                .addAttributes(probes(slot, hops));
        if (flow != null) {
            journey.addAttributes(string("network.transport", flow.protocolName()))
                    .addAttributes(string("source.address", flow.srcAddress()))
                    .addAttributes(integer("source.port", flow.srcPort()))
                    .addAttributes(string("destination.address", flow.dstAddress()))
                    .addAttributes(integer("destination.port", flow.dstPort()));
        }
        if (dropped) {
            journey.addAttributes(string("vnettracer.drop.probe", name(slot.dropProbe)))
                    .addAttributes(string("vnettracer.drop.reason", reason))
                    .setStatus(error("dropped: " + reason));
        }
        out.accept(journey.build());

        for (int i = 0; i + 1 < hops; i++) {
            String from = name(slot.hopProbe[i]);
            String to = name(slot.hopProbe[i + 1]);
            out.accept(Span.newBuilder().setTraceId(traceId).setSpanId(bytes(spanId(identity, start, i + 1))).setParentSpanId(root)
                    .setName(from + ARROW + to)
                    .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
                    .setStartTimeUnixNano(clock.toEpochNanos(slot.hopTs[i]))
                    .setEndTimeUnixNano(clock.toEpochNanos(slot.hopTs[i + 1]))
                    .addAttributes(array("vnettracer.probes", List.of(from, to)))
                    .addAttributes(string("vnettracer.flow", flowName))
                    .addAttributes(integer("vnettracer.bytes", slot.hopBytes[i + 1]))
                    .build());
        }
        if (dropped) {
            String last = name(slot.hopProbe[hops - 1]);
            String drop = name(slot.dropProbe);
            out.accept(Span.newBuilder().setTraceId(traceId).setSpanId(bytes(spanId(identity, start, hops))).setParentSpanId(root)
                    .setName(last + ARROW + drop)
                    .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
                    .setStartTimeUnixNano(end).setEndTimeUnixNano(end)
                    .addAttributes(array("vnettracer.probes", List.of(last, drop)))
                    .addAttributes(string("vnettracer.flow", flowName))
                    .addAttributes(integer("vnettracer.bytes", slot.hopBytes[hops - 1]))
                    .addAttributes(string("vnettracer.drop.reason", reason))
                    .setStatus(error("dropped: " + reason))
                    .build());
        }
    }

    static ByteString traceId(long identity, long startEpochNanos) {
        return ByteString.copyFrom(ByteBuffer.allocate(16).putLong(identity).putLong(startEpochNanos).array());
    }

    /** A non-zero id, distinct for each index within one trace (the mix is a bijection of its input). */
    static long spanId(long identity, long startEpochNanos, int index) {
        long id = mix(mix(identity ^ Long.rotateLeft(startEpochNanos, 17)) + index);
        return id == 0 ? 1 : id;
    }

    /** SplitMix64's finalizer. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    private String name(int catalogIndex) {
        return catalogIndex >= 0 && catalogIndex < catalog.size() ? catalog.get(catalogIndex).name() : "probe#" + catalogIndex;
    }

    private String reasonName(int code) {
        String name = code < 0 ? null : dropReasonNames.apply(code);
        return name != null ? name : "reason " + code;
    }

    private KeyValue probes(JourneyRing.Slot slot, int hops) {
        String[] names = new String[hops];
        for (int i = 0; i < hops; i++) names[i] = name(slot.hopProbe[i]);
        return array("vnettracer.probes", List.of(names));
    }

    private static ByteString bytes(long id) {
        return ByteString.copyFrom(ByteBuffer.allocate(8).putLong(id).array());
    }

    private static Status error(String message) {
        return Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage(message).build();
    }

    private static KeyValue string(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    private static KeyValue integer(String key, long value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setIntValue(value)).build();
    }

    private static KeyValue array(String key, List<String> values) {
        ArrayValue.Builder a = ArrayValue.newBuilder();
        for (String v : values) a.addValues(AnyValue.newBuilder().setStringValue(v));
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setArrayValue(a)).build();
    }
}
