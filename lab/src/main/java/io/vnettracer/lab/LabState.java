package io.vnettracer.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * What a lab's {@code up} created, as its state file records it. Each thing is recorded before
 * it is created, so after a crash the file names everything that may exist (and perhaps a little
 * that does not). {@code complete} is set once the whole topology is up.
 */
public record LabState(int version,
                       String name,
                       Topology topology,
                       List<String> namespaces,
                       List<String> rootLinks,
                       List<String> cgroups,
                       List<ProcessRecord> processes,
                       boolean complete) {
    public static final int VERSION = 1;

    /** A process the lab started: its pid and start time (clock ticks after boot, proc(5) stat field 22). */
    public record ProcessRecord(String name, long pid, long startTime, int cpu, String vm) {}

    public LabState {
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        rootLinks = rootLinks == null ? List.of() : List.copyOf(rootLinks);
        cgroups = cgroups == null ? List.of() : List.copyOf(cgroups);
        processes = processes == null ? List.of() : List.copyOf(processes);
    }

    static LabState empty(Topology topology) {
        return new LabState(VERSION, topology.name(), topology, List.of(), List.of(), List.of(), List.of(), false);
    }

    LabState withTopology(Topology t) {
        return new LabState(VERSION, name, t, namespaces, rootLinks, cgroups, processes, false);
    }

    LabState withNamespace(String ns) {
        return namespaces.contains(ns) ? this
                : new LabState(version, name, topology, plus(namespaces, ns), rootLinks, cgroups, processes, complete);
    }

    LabState withoutNamespace(String ns) {
        return new LabState(version, name, topology, minus(namespaces, ns), rootLinks, cgroups, processes, complete);
    }

    LabState withRootLink(String link) {
        return rootLinks.contains(link) ? this
                : new LabState(version, name, topology, namespaces, plus(rootLinks, link), cgroups, processes, complete);
    }

    LabState withoutRootLink(String link) {
        return new LabState(version, name, topology, namespaces, minus(rootLinks, link), cgroups, processes, complete);
    }

    LabState withCgroup(String dir) {
        return cgroups.contains(dir) ? this
                : new LabState(version, name, topology, namespaces, rootLinks, plus(cgroups, dir), processes, complete);
    }

    LabState withProcess(ProcessRecord p) {
        return new LabState(version, name, topology, namespaces, rootLinks, cgroups, plus(processes, p), complete);
    }

    LabState withoutProcess(ProcessRecord p) {
        return new LabState(version, name, topology, namespaces, rootLinks, cgroups, minus(processes, p), complete);
    }

    LabState asComplete() {
        return new LabState(version, name, topology, namespaces, rootLinks, cgroups, processes, true);
    }

    private static <T> List<T> plus(List<T> list, T item) {
        List<T> copy = new ArrayList<>(list);
        copy.add(item);
        return copy;
    }

    private static <T> List<T> minus(List<T> list, T item) {
        List<T> copy = new ArrayList<>(list);
        copy.remove(item);
        return copy;
    }
}
