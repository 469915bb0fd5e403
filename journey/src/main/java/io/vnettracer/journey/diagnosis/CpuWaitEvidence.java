package io.vnettracer.journey.diagnosis;

import java.util.List;

/**
 * How long the tasks of a receiving socket's namespace (the "VM" of a {@code sock:NS:recv}
 * probe) waited on a run queue after being woken, and which tasks held the CPU meanwhile
 * (sched_wakeup to sched_switch).
 *
 * @param probe     the socket receive probe
 * @param namespace its network namespace
 * @param holders   by time held, most first; the idle task ({@code swapper/N}) means the CPU was idle
 */
public record CpuWaitEvidence(String probe, String namespace, long waits, long totalNs, long maxNs, List<Holder> holders) {
    /** A task that was on the CPU when a waiting task of the namespace got it. */
    public record Holder(String comm, long tgid, long tid, long waits, long totalNs) {
        /** The kernel's idle tasks are named swapper/N. */
        public boolean idle() {
            return tid == 0;
        }
    }

    public CpuWaitEvidence {
        holders = List.copyOf(holders);
    }

    public double meanWaitNs() {
        return waits == 0 ? 0 : (double) totalNs / waits;
    }
}
