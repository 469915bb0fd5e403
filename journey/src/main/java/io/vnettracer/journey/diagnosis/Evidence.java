package io.vnettracer.journey.diagnosis;

import java.util.List;
import java.util.Optional;

/** What the session collected for the diagnosis: queues behind egress probes, CPU waits behind socket probes. */
public record Evidence(List<QueueEvidence> queues, List<CpuWaitEvidence> cpuWaits) {
    public static final Evidence NONE = new Evidence(List.of(), List.of());

    public Evidence {
        queues = List.copyOf(queues);
        cpuWaits = List.copyOf(cpuWaits);
    }

    Optional<QueueEvidence> queueBehind(String probe) {
        return queues.stream().filter(q -> q.probe().equals(probe)).findFirst();
    }

    Optional<CpuWaitEvidence> cpuWaitBefore(String probe) {
        return cpuWaits.stream().filter(c -> c.probe().equals(probe)).findFirst();
    }
}
