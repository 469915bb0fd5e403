package io.vnettracer.diagnose;

import io.vnettracer.journey.diagnosis.CpuWaitEvidence;
import io.vnettracer.journey.diagnosis.Evidence;
import io.vnettracer.journey.diagnosis.QueueEvidence;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.probe.script.TracingScript;
import io.vnettracer.probe.spec.ProbeSpec;
import io.vnettracer.worker.Worker;
import io.vnettracer.worker.WorkerFailure;
import io.vnettracer.worker.WorkerFailures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Collects the kernel's evidence for the diagnosis while a trace runs (docs/DIAGNOSE.md): behind
 * every egress device probe, its device's root qdisc, read every {@value #SAMPLE_MILLIS} ms; before
 * every socket receive probe, the run-queue waits of its namespace's tasks (two tp_btf programs, one
 * pair per namespace). Started with the trace, stopped before its summary is made.
 */
public final class EvidenceCollector implements AutoCloseable {
    static final long SAMPLE_MILLIS = 100;

    private final List<QdiscSampler> queues = new ArrayList<>();
    private final Map<String, RunQueueWaits> waits = new LinkedHashMap<>();
    private final List<String> problems = new ArrayList<>();
    private final Worker sampler;
    private final WorkerFailures failures = new WorkerFailures();

    private EvidenceCollector(TracingScript script) {
        for (ProbeDefinition p : script.probes()) {
            switch (p.spec()) {
                case ProbeSpec.Device d when d.direction() == ProbeSpec.Direction.EGRESS ->
                        queues.add(new QdiscSampler(p.name(), d.namespace(), d.iface()));
                case ProbeSpec.Socket s when s.point() == ProbeSpec.SocketPoint.RECV && !waits.containsKey(key(s.namespace())) -> {
                    try {
                        waits.put(key(s.namespace()), new RunQueueWaits(p.name(), s.namespace()));
                    } catch (RuntimeException e) {
                        problems.add("run-queue waits of " + key(s.namespace()) + ": " + e.getMessage());
                    }
                }
                default -> { }
            }
        }
        this.sampler = Worker.create("the diagnosis sampler", "vnettracer-evidence", failures, this::sampleUntilStopped);
    }

    /** Attaches what {@code script}'s probes call for and starts sampling. */
    public static EvidenceCollector start(TracingScript script) {
        EvidenceCollector c = new EvidenceCollector(script);
        c.sampler.start();
        return c;
    }

    private static String key(String namespace) {
        return namespace == null ? "(the tracer's namespace)" : namespace;
    }

    private void sampleUntilStopped(Worker self) {
        while (self.running()) {
            for (QdiscSampler q : queues) {
                q.sample();
            }
            self.idle(SAMPLE_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Tells {@code owner} when the sampling thread fails (once; now if it already has). */
    public void reportFailuresTo(Consumer<WorkerFailure> owner) {
        failures.forwardTo(owner);
    }

    /** Stops sampling and returns what was collected. */
    public Evidence finish() {
        stopSampling();
        List<QueueEvidence> q = new ArrayList<>();
        for (QdiscSampler s : queues) {
            QueueEvidence e = s.evidence();
            if (e != null) {
                q.add(e);
            } else if (s.failure() != null) {
                problems.add(s.failure());
            }
        }
        List<CpuWaitEvidence> c = new ArrayList<>();
        waits.values().forEach(w -> c.add(w.evidence()));
        return new Evidence(q, c);
    }

    /** What could not be collected, one line each. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    private void stopSampling() {
        sampler.stop();
        try {
            sampler.await(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stopSampling();
        waits.values().forEach(RunQueueWaits::close);
    }
}
