package io.vnettracer.lab;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lab's model of a hypervisor sharing physical cores between one-vCPU VMs (docs/LAB.md).
 *
 * <p>Every VM pinned ({@code cpu}) to one of {@code cores} is a vCPU on that core: its processes
 * run under real-time round robin (SCHED_RR) at one priority, so when two such VMs have work on
 * the same core they take turns in time slices of {@code slice}, as vCPUs do under a hypervisor's
 * credit scheduler. A waking VM then waits for the running one's slice to end, which is the delay
 * the paper measured under Xen; under the normal scheduler (CFS/EEVDF) a waking task preempts a
 * busy loop almost at once, so that delay never shows. VMs on other cores are not affected.
 *
 * <p>The slice is the kernel's {@code kernel.sched_rr_timeslice_ms}, a global setting: {@code up}
 * records its value before changing it and {@code down} puts it back.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Hypervisor(List<Integer> cores, String slice, Integer priority) {
    /** sched(7): SCHED_RR priorities run from 1 to 99; 10 leaves room above for the kernel's own. */
    public static final int DEFAULT_PRIORITY = 10;
    static final String RR_TIMESLICE_SYSCTL = "kernel.sched_rr_timeslice_ms";
    private static final Pattern MILLIS = Pattern.compile("([1-9]\\d{0,3})ms");

    public Hypervisor {
        cores = cores == null ? List.of() : List.copyOf(cores);
    }

    public int priorityOrDefault() {
        return priority == null ? DEFAULT_PRIORITY : priority;
    }

    /** The slice in milliseconds, or -1 if {@link #slice} is not of the form {@code 10ms}. */
    public int sliceMillis() {
        Matcher m = slice == null ? null : MILLIS.matcher(slice);
        return m != null && m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** Whether a VM pinned to {@code cpu} (null: not pinned) is a vCPU under this hypervisor. */
    public boolean schedules(Integer cpu) {
        return cpu != null && cores.contains(cpu);
    }

    void validate(String at, List<String> problems) {
        if (cores.isEmpty()) {
            problems.add(at + ".cores: the cores it shares between VMs are needed, e.g. [1]");
        }
        for (Integer core : cores) {
            if (core == null || core < 0) {
                problems.add(at + ".cores: " + core + " is not a cpu number");
            }
        }
        if (sliceMillis() < 0) {
            problems.add(at + ".slice: '" + slice + "' is not a time slice in milliseconds (1ms to 9999ms), e.g. 10ms");
        }
        if (priority != null && (priority < 1 || priority > 99)) {
            problems.add(at + ".priority: " + priority + " is not a real-time priority (1 to 99)");
        }
    }
}
