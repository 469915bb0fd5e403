package io.vnettracer.export.otlp;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.vnettracer.journey.FinishedJourney;
import io.vnettracer.journey.ProbeCatalog;
import io.vnettracer.journey.Summary;
import io.vnettracer.sinks.TraceSink;
import io.vnettracer.worker.Worker;
import io.vnettracer.worker.WorkerFailure;
import io.vnettracer.worker.WorkerFailures;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Exports journeys as OpenTelemetry traces over OTLP/HTTP (docs/EXPORTS.md). On the drain thread,
 * {@link #onJourney} keeps 1 journey in {@code sampleEvery} (by the joiner's sequence number, so
 * the pick is spread evenly and the first journey is always in) and copies it into a bounded,
 * preallocated queue: no allocation, no lock, no waiting; a full queue counts the journey dropped.
 * A thread of its own turns queued journeys into spans and posts them in batches. {@link #finish}
 * waits for the queue to empty and fails, saying what was lost, when any sampled journey did not
 * reach the receiver whole. A receiver that refuses or cannot be reached costs the journeys of that
 * request, counted; the exporter thread itself failing ends the trace ({@link #reportFailuresTo}).
 */
public final class OtlpSink implements TraceSink {
    /** Journeys per request: a few hundred kilobytes of protobuf. */
    static final int BATCH = 512;
    public static final int DEFAULT_QUEUE = 8192;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long FINISH_WAIT_MILLIS = 60_000;

    private final URI endpoint;
    private final int sampleEvery;
    private final JourneyRing ring;
    private final JourneySpans spans;
    private final OtlpHttpExporter exporter;
    private final Resource resource;
    private final Worker thread;
    private final WorkerFailures failures = new WorkerFailures();
    private final AtomicLong sampled = new AtomicLong();
    private final AtomicLong exported = new AtomicLong();
    private final AtomicLong spanCount = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong noSightings = new AtomicLong();
    private volatile String lastError;
    private OtlpStats finalStats;

    /**
     * @param url             the receiver: {@code http(s)://host:port/path}; with no path, the OTLP
     *                        default {@code /v1/traces} is appended
     * @param sampleEvery     export 1 journey in this many (1: all)
     * @param maxHops         sightings a journey may have (the joiner's {@code maxHops})
     * @param dropReasonNames the kernel's names of drop reason codes (null when unknown)
     * @param clock           the offset that turns probe timestamps into epoch time, read at trace start
     */
    public OtlpSink(String url, int sampleEvery, ProbeCatalog catalog, int maxHops, IntFunction<String> dropReasonNames,
                    ClockOffset clock, int queueCapacity) {
        this(url, java.util.Map.of(), sampleEvery, catalog, maxHops, dropReasonNames, clock, queueCapacity);
    }

    /** @param headers sent with every request ({@link OtlpHeaders}: credentials never come from argv) */
    public OtlpSink(String url, java.util.Map<String, String> headers, int sampleEvery, ProbeCatalog catalog, int maxHops,
                    IntFunction<String> dropReasonNames, ClockOffset clock, int queueCapacity) {
        if (sampleEvery < 1) {
            throw new IllegalArgumentException("--otlp-sample must be at least 1 (1 exports every journey), got " + sampleEvery);
        }
        this.endpoint = endpoint(url);
        this.sampleEvery = sampleEvery;
        this.ring = new JourneyRing(queueCapacity, maxHops);
        this.spans = new JourneySpans(catalog, dropReasonNames, clock);
        this.exporter = new OtlpHttpExporter(endpoint, headers);
        this.resource = Resource.newBuilder()
                .addAttributes(KeyValue.newBuilder().setKey("service.name").setValue(AnyValue.newBuilder().setStringValue("vnettracer")))
                .addAttributes(KeyValue.newBuilder().setKey("vnettracer.clock.offset_ns")
                        .setValue(AnyValue.newBuilder().setIntValue(clock.realtimeMinusMonotonicNanos())))
                .addAttributes(KeyValue.newBuilder().setKey("vnettracer.clock.uncertainty_ns")
                        .setValue(AnyValue.newBuilder().setIntValue(clock.uncertaintyNanos())))
                .build();
        this.thread = Worker.start("the OTLP exporter", "vnettracer-otlp", failures, this::exportUntilStopped);
    }

    public OtlpSink(String url, int sampleEvery, ProbeCatalog catalog, int maxHops, IntFunction<String> dropReasonNames,
                    ClockOffset clock) {
        this(url, sampleEvery, catalog, maxHops, dropReasonNames, clock, DEFAULT_QUEUE);
    }

    /** Checks and completes a receiver URL; a message says what is wrong with a bad one. */
    static URI endpoint(String url) {
        URI uri;
        try {
            uri = new URI(url == null ? "" : url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("--otlp '" + url + "' is not a URL: " + e.getMessage(), e);
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("--otlp '" + url + "' is not an http(s)://HOST[:PORT][/PATH] URL of an OTLP/HTTP receiver");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("--otlp: the URL holds credentials, which every user can read on the command line;"
                    + " put them in --otlp-headers-file FILE (e.g. 'Authorization: Basic ...') or " + OtlpHeaders.ENVIRONMENT);
        }
        String path = uri.getRawPath();
        return path == null || path.isEmpty() || path.equals("/") ? uri.resolve("/v1/traces") : uri;
    }

    @Override
    public void onJourney(FinishedJourney journey) {
        if ((journey.sequence() - 1) % sampleEvery != 0) {
            return;
        }
        sampled.incrementAndGet();
        ring.offer(journey);
    }

    @Override
    public void reportFailuresTo(Consumer<WorkerFailure> owner) {
        failures.forwardTo(owner);
    }

    @Override
    public void finish(Summary summary) {
        stopAndWait(FINISH_WAIT_MILLIS);
        OtlpStats stats = stats();
        if (!stats.complete()) {
            throw new IllegalStateException("not every sampled journey was exported: " + stats
                    + (stats.queueDropped() > 0 ? " (export 1 in more with --otlp-sample)" : ""));
        }
    }

    /** The counts so far (final once {@link #finish} or {@link #close} returned). */
    public OtlpStats stats() {
        OtlpStats done = finalStats;
        return done != null ? done : snapshot(0);
    }

    private OtlpStats snapshot(long unsent) {
        return new OtlpStats(sampled.get(), exported.get(), spanCount.get(), ring.dropped(), failed.get() + unsent,
                rejected.get(), noSightings.get(), ring.truncated(), lastError);
    }

    @Override
    public String describe() {
        return "otlp " + endpoint + (sampleEvery == 1 ? "" : " (1 journey in " + sampleEvery + ")");
    }

    @Override
    public void close() {
        stopAndWait(FINISH_WAIT_MILLIS);
    }

    private synchronized void stopAndWait(long millis) {
        if (finalStats != null) {
            return;
        }
        thread.stop();
        try {
            if (!thread.await(millis)) {
                lastError = "the receiver did not take the last batches within " + millis / 1000 + " s";
                thread.interrupt();
                thread.await(TimeUnit.SECONDS.toMillis(5));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.failure() != null) {
            lastError = thread.failure().line();
        }
        // Journeys still queued never left: they count as failed.
        finalStats = snapshot(ring.waiting());
    }

    /** Ends once stopped and the queue is empty; a batch being built when it fails counts as failed. */
    private void exportUntilStopped(Worker self) {
        JourneyRing.Slot first;
        while (true) {
            if ((first = ring.poll()) == null) {
                if (!self.running() && (first = ring.poll()) == null) {
                    return;
                }
                if (first == null) {
                    self.idle(IDLE_PARK_NANOS);
                    continue;
                }
            }
            ScopeSpans.Builder scope = ScopeSpans.newBuilder()
                    .setScope(InstrumentationScope.newBuilder().setName("io.vnettracer.export.otlp"));
            long journeys = 0;
            long taken = 0;
            try {
                for (JourneyRing.Slot slot = first; slot != null; slot = taken < BATCH ? ring.poll() : null) {
                    taken++;
                    int before = scope.getSpansCount();
                    try {
                        spans.spans(slot, scope::addSpans);
                    } finally {
                        ring.release(slot);
                    }
                    if (scope.getSpansCount() > before) {
                        journeys++;
                    } else {
                        noSightings.incrementAndGet();
                    }
                }
            } catch (RuntimeException | Error e) {
                failed.addAndGet(journeys + 1); // this request's journeys and the one that failed never leave
                throw e;
            }
            if (journeys > 0) {
                post(ExportTraceServiceRequest.newBuilder()
                        .addResourceSpans(ResourceSpans.newBuilder().setResource(resource).addScopeSpans(scope)).build(),
                        journeys, scope.getSpansCount());
            }
        }
    }

    private void post(ExportTraceServiceRequest request, long journeys, int count) {
        try {
            long rejectedSpans = exporter.export(request);
            exported.addAndGet(journeys);
            spanCount.addAndGet(count - rejectedSpans);
            if (rejectedSpans > 0) {
                rejected.addAndGet(rejectedSpans);
                lastError = "the receiver rejected " + rejectedSpans + " spans";
            }
        } catch (IOException e) {
            failed.addAndGet(journeys);
            lastError = e.getMessage();
        } catch (InterruptedException e) {
            failed.addAndGet(journeys);
            lastError = "export interrupted";
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            failed.addAndGet(journeys); // the exporter thread ends with it, and the trace
            throw e;
        }
    }
}
