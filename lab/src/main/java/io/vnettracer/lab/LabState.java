package io.vnettracer.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a lab's {@code up} created, as its state file records it. Each thing is recorded before
 * it is created, so after a crash the file names everything that may exist (and perhaps a little
 * that does not). {@code complete} is set once the whole topology is up. {@code savedSysctls}
 * holds the values of global kernel settings the lab changed, as they were before, for down.
 * {@code directories} are directories the lab made (an OVS switch's run directory), removed with
 * what is in them; {@code daemons} are the switch's processes (an OVS switch's ovsdb-server and
 * ovs-vswitchd, cpu -1: not pinned), apart from {@code processes}, the topology's contention.
 * {@code instance} is the random part of the lab's {@link LabMarker}, chosen by its first {@code up}.
 */
public record LabState(int version,
                       String name,
                       Topology topology,
                       List<String> namespaces,
                       List<String> rootLinks,
                       List<String> cgroups,
                       List<ProcessRecord> processes,
                       boolean complete,
                       Map<String, String> savedSysctls,
                       List<String> directories,
                       List<ProcessRecord> daemons,
                       String instance) {
    public static final int VERSION = 1;

    /** A process the lab started: its pid and start time (clock ticks after boot, proc(5) stat field 22). */
    public record ProcessRecord(String name, long pid, long startTime, int cpu, String vm) {}

    public LabState {
        namespaces = namespaces == null ? List.of() : List.copyOf(namespaces);
        rootLinks = rootLinks == null ? List.of() : List.copyOf(rootLinks);
        cgroups = cgroups == null ? List.of() : List.copyOf(cgroups);
        processes = processes == null ? List.of() : List.copyOf(processes);
        savedSysctls = savedSysctls == null ? Map.of() : Map.copyOf(savedSysctls);
        directories = directories == null ? List.of() : List.copyOf(directories);
        daemons = daemons == null ? List.of() : List.copyOf(daemons);
    }

    static LabState empty(Topology topology) {
        return new LabState(VERSION, topology.name(), topology, List.of(), List.of(), List.of(), List.of(), false, Map.of(), List.of(), List.of(),
                java.util.UUID.randomUUID().toString());
    }

    /** The marker of what this lab makes; a state file of an older version, without an instance, gets one. */
    LabMarker marker() {
        return new LabMarker(name, instance);
    }

    LabState withInstanceIfMissing() {
        return instance != null ? this : new LabState(version, name, topology, namespaces, rootLinks, cgroups, processes, complete,
                savedSysctls, directories, daemons, java.util.UUID.randomUUID().toString());
    }

    LabState withTopology(Topology t) {
        return new LabState(VERSION, name, t, namespaces, rootLinks, cgroups, processes, false, savedSysctls, directories, daemons, instance);
    }

    LabState withNamespace(String ns) {
        return namespaces.contains(ns) ? this
                : new LabState(version, name, topology, plus(namespaces, ns), rootLinks, cgroups, processes, complete, savedSysctls, directories, daemons, instance);
    }

    LabState withoutNamespace(String ns) {
        return new LabState(version, name, topology, minus(namespaces, ns), rootLinks, cgroups, processes, complete, savedSysctls, directories, daemons, instance);
    }

    LabState withRootLink(String link) {
        return rootLinks.contains(link) ? this
                : new LabState(version, name, topology, namespaces, plus(rootLinks, link), cgroups, processes, complete, savedSysctls, directories, daemons, instance);
    }

    LabState withoutRootLink(String link) {
        return new LabState(version, name, topology, namespaces, minus(rootLinks, link), cgroups, processes, complete, savedSysctls, directories, daemons, instance);
    }

    LabState withCgroup(String dir) {
        return cgroups.contains(dir) ? this
                : new LabState(version, name, topology, namespaces, rootLinks, plus(cgroups, dir), processes, complete, savedSysctls, directories, daemons, instance);
    }

    LabState withProcess(ProcessRecord p) {
        return new LabState(version, name, topology, namespaces, rootLinks, cgroups, plus(processes, p), complete, savedSysctls, directories, daemons, instance);
    }

    LabState withoutProcess(ProcessRecord p) {
        return new LabState(version, name, topology, namespaces, rootLinks, cgroups, minus(processes, p), complete, savedSysctls, directories, daemons, instance);
    }

    /** Records {@code value} as what {@code key} held before the lab changed it; the first record wins. */
    LabState withSavedSysctl(String key, String value) {
        if (savedSysctls.containsKey(key)) {
            return this;
        }
        Map<String, String> copy = new TreeMap<>(savedSysctls);
        copy.put(key, value);
        return new LabState(version, name, topology, namespaces, rootLinks, cgroups, processes, complete, copy, directories, daemons, instance);
    }

    LabState withoutSavedSysctl(String key) {
        Map<String, String> copy = new TreeMap<>(savedSysctls);
        copy.remove(key);
        return new LabState(version, name, topology, namespaces, rootLinks, cgroups, processes, complete, copy, directories, daemons, instance);
    }

    LabState withDirectory(String dir) {
        return directories.contains(dir) ? this : new LabState(version, name, topology, namespaces, rootLinks, cgroups,
                processes, complete, savedSysctls, plus(directories, dir), daemons, instance);
    }

    LabState withoutDirectory(String dir) {
        return new LabState(version, name, topology, namespaces, rootLinks, cgroups, processes, complete, savedSysctls,
                minus(directories, dir), daemons, instance);
    }

    LabState withDaemon(ProcessRecord p) {
        return new LabState(version, name, topology, namespaces, rootLinks, cgroups, processes, complete, savedSysctls,
                directories, plus(daemons, p), instance);
    }

    LabState withoutDaemon(ProcessRecord p) {
        return new LabState(version, name, topology, namespaces, rootLinks, cgroups, processes, complete, savedSysctls,
                directories, minus(daemons, p), instance);
    }

    LabState asComplete() {
        return new LabState(version, name, topology, namespaces, rootLinks, cgroups, processes, true, savedSysctls, directories, daemons, instance);
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
