package io.vnettracer.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Removes a lab: what its state file records and what carries its marker ({@link LabMarker}), so
 * that it also cleans up after an {@code up} that was killed or whose state file is gone. Nothing
 * is removed or signalled on its name alone: a namespace, link or process that only looks like the
 * lab's (its name starts with the lab's, or a state file names it) but carries no marker is left
 * alone and reported. Loss rules and shaping live in the lab's namespaces and devices and go with them.
 */
public final class LabDown {
    /** What was removed, what could not be, and what was left alone because the lab cannot prove it made it. */
    public record Report(List<String> removed, List<String> failed, List<String> leftAlone) {}

    private final Tools tools;
    private final HostView host;
    private final StateStore store;

    LabDown(Tools tools, StateStore store) {
        this.tools = tools;
        this.host = new HostView(tools);
        this.store = store;
    }

    /**
     * Without its state file, the settings a lab may have changed are put back to the machine's
     * values kept in {@link Sysctl#ORIGINALS}, unless another lab's state file says it holds them.
     */
    private void restoreUnrecordedSettings(String lab, List<String> removed, List<String> failed) {
        for (String key : new java.util.TreeSet<>(Sysctl.CHANGED_BY_LABS)) {
            Path record = Sysctl.ORIGINALS.resolve(key);
            if (!java.nio.file.Files.isRegularFile(record, java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
            boolean held = store.labs().stream().filter(other -> !other.equals(lab)).anyMatch(other -> holds(other, key));
            if (held) continue;
            try {
                String value = java.nio.file.Files.readString(record).strip();
                Sysctl.restore(key, value);
                removed.add("setting " + key + " (back to " + value + ", the machine's value kept in " + record + ")");
            } catch (java.io.IOException | LabException e) {
                failed.add("setting " + key + ": " + e.getMessage());
            }
        }
    }

    /** Whether lab {@code other}'s state file records changing {@code key}; one that cannot be read might. */
    private boolean holds(String other, String key) {
        try {
            return store.read(other).map(o -> o.savedSysctls().containsKey(key)).orElse(false);
        } catch (LabException unreadable) {
            return true;
        }
    }

    Report run(String lab, Optional<Topology> topologyFile) {
        List<String> removed = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        List<String> leftAlone = new ArrayList<>();
        Optional<LabState> state = store.read(lab);
        LabNames names = new LabNames(lab, false);
        String noMarker = "carries no alias " + LabMarker.ALIAS_PREFIX + lab + ":...";

        // Namespaces: recorded ones and those of the lab's name, if their lo carries the marker.
        List<String> recordedNamespaces = state.map(LabState::namespaces).orElse(List.of());
        Set<String> candidates = new LinkedHashSet<>(recordedNamespaces);
        candidates.addAll(HostView.namespacesWithPrefix(names.prefix()));
        Set<String> existing = HostView.namespaces();
        Set<String> namespaces = new LinkedHashSet<>();
        for (String ns : candidates) {
            if (!existing.contains(ns)) {
                continue;
            }
            if (host.namespaceMarkedBy(ns, lab)) {
                namespaces.add(ns);
            } else {
                leftAlone.add("namespace " + ns + ": not made by lab " + lab + " (its lo " + noMarker + ")"
                        + (recordedNamespaces.contains(ns) ? ", although the state file names it" : ""));
            }
        }

        // 1. Processes: recorded ones (same pid and start time) and any found otherwise, each only if it carries the
        //    lab's environment marker; and any inside the lab's own namespaces (a workload a demo left there).
        Set<Long> pids = new LinkedHashSet<>();
        state.ifPresent(s -> {
            List<LabState.ProcessRecord> recorded = new ArrayList<>(s.processes());
            recorded.addAll(s.daemons());
            for (LabState.ProcessRecord p : recorded) {
                if (LabProcesses.isRunning(p)) {
                    addIfMarked(p.pid(), p.name() + ", recorded", lab, pids, leftAlone);
                }
            }
        });
        Path runDirectory = OvsSwitch.runDirectory(store.dir(), lab);
        state.ifPresent(s -> s.directories().stream().filter(d -> !Path.of(d).toAbsolutePath().equals(runDirectory))
                .forEach(d -> leftAlone.add("directory " + d + ": the state file names it, but the lab's only directory is "
                        + runDirectory)));
        // Daemons an up started but did not live to record, should their namespace be gone already.
        OvsSwitch.DAEMONS.forEach(d -> OvsSwitch.pidFromFile(runDirectory, d)
                .ifPresent(pid -> addIfMarked(pid, d + ", in " + runDirectory, lab, pids, leftAlone)));
        for (long pid : LabProcesses.withArgumentStartingWith(names.processMarkerPrefix())) {
            addIfMarked(pid, "argument " + names.processMarkerPrefix() + "...", lab, pids, leftAlone);
        }
        pids.addAll(LabProcesses.markedBy(lab));
        Set<Long> inodes = new HashSet<>();
        namespaces.forEach(ns -> HostView.namespaceInode(ns).ifPresent(inodes::add));
        pids.addAll(LabProcesses.inNetNamespaces(inodes));
        if (!pids.isEmpty()) {
            List<Long> alive = LabProcesses.kill(pids);
            removed.add("processes " + pids.stream().filter(p -> !alive.contains(p)).toList());
            if (!alive.isEmpty()) {
                failed.add("processes " + alive + " survived SIGKILL");
            }
        }

        // 1b. Global kernel settings the lab changed (the hypervisor's slice, OVS's send buffers): back to what
        // they were. Only those it changes.
        if (state.isEmpty()) restoreUnrecordedSettings(lab, removed, failed);
        state.ifPresent(s -> s.savedSysctls().forEach((key, value) -> {
            if (!Sysctl.CHANGED_BY_LABS.contains(key)) {
                leftAlone.add("setting " + key + ": the state file names it, but the lab changes only "
                        + new java.util.TreeSet<>(Sysctl.CHANGED_BY_LABS));
                return;
            }
            try {
                Sysctl.restore(key, value);
                removed.add("setting " + key + " (back to " + value + ")");
            } catch (LabException e) {
                failed.add("setting " + key + ": " + e.getMessage());
            }
        }));

        // 2. Namespaces, and with them the vifs, bridge, qdiscs and iptables rules inside.
        for (String ns : namespaces) {
            Tools.Result r = tools.attempt(Tools.ip(null, "netns", "del", ns));
            (r.ok() ? removed : failed).add("namespace " + ns + (r.ok() ? "" : ": " + r.output().strip()));
        }

        // 3. Links in the root namespace (a switch there): the bridge, and ports (whose peers died with the vms).
        Map<String, HostView.Link> rootLinks = host.links(null);
        List<String> recordedLinks = state.map(LabState::rootLinks).orElse(List.of());
        Set<String> links = new LinkedHashSet<>(recordedLinks);
        rootLinks.values().stream().filter(l -> l.name().startsWith(names.prefix()) || l.markedBy(lab))
                .forEach(l -> links.add(l.name()));
        for (String link : links) {
            HostView.Link now = rootLinks.get(link);
            if (now == null || !host.links(null).containsKey(link)) {
                continue; // never there, or gone with its peer
            }
            if (!now.markedBy(lab)) {
                leftAlone.add("link " + link + ": not made by lab " + lab + " (it " + noMarker + ")"
                        + (recordedLinks.contains(link) ? ", although the state file names it" : ""));
                continue;
            }
            Tools.Result r = tools.attempt(Tools.ip(null, "link", "del", link));
            boolean gone = r.ok() || !host.links(null).containsKey(link); // a veth goes with its peer
            (gone ? removed : failed).add("link " + link + (gone ? "" : ": " + r.output().strip()));
        }

        // 3b. The OVS switch's run directory (database, sockets and logs) in the state directory, once its daemons are gone.
        if (Files.isSymbolicLink(runDirectory)) {
            leftAlone.add("directory " + runDirectory + ": a symbolic link, not a directory the lab made");
        } else if (Files.exists(runDirectory)) {
            boolean gone = OvsSwitch.removeDirectory(runDirectory);
            (gone ? removed : failed).add("directory " + runDirectory);
        }

        // 4. Cgroups the state file records, deepest first, below the cgroup root only. Without a state file
        //    nothing proves who made a cgroup: those of the topology are left alone.
        List<String> cgroups = state.map(LabState::cgroups).orElse(List.of());
        for (String dir : cgroups.reversed()) {
            Path path = Path.of(dir).normalize();
            if (!path.startsWith(HostView.cgroupRoot()) || path.equals(HostView.cgroupRoot())) {
                leftAlone.add("cgroup " + dir + ": the state file names it, but it is not below " + HostView.cgroupRoot());
                continue;
            }
            removeCgroup(path, removed, failed);
        }
        if (state.isEmpty()) {
            topologyFile.ifPresent(t -> t.vms().stream().filter(vm -> vm.cgroup() != null)
                    .map(vm -> HostView.cgroupRoot().resolve(vm.cgroup()))
                    .filter(Files::isDirectory)
                    .forEach(dir -> leftAlone.add("cgroup " + dir + ": without the state file nothing shows the lab made it")));
        }

        if (state.isPresent()) {
            store.delete(lab);
            removed.add("state file " + store.fileOf(lab));
        }
        return new Report(removed, failed, leftAlone);
    }

    /** Adds live process {@code pid} if it carries lab {@code lab}'s environment marker, else says why it is left alone. */
    private static void addIfMarked(long pid, String how, String lab, Set<Long> pids, List<String> leftAlone) {
        if (LabMarker.processCarries(pid, lab)) {
            pids.add(pid);
        } else if (LabProcesses.startTime(pid).isPresent()) {
            leftAlone.add("process " + pid + " (" + how + "): carries no " + LabMarker.ENVIRONMENT_VARIABLE + "=" + lab
                    + ":... in its environment");
        }
    }

    /** rmdir of a cgroup whose last process has just exited can fail (EBUSY) for a moment: retry. */
    private static void removeCgroup(Path dir, List<String> removed, List<String> failed) {
        for (int attempt = 0; Files.isDirectory(dir); attempt++) {
            try {
                Files.delete(dir);
                removed.add("cgroup " + dir);
                return;
            } catch (IOException busy) {
                if (attempt >= 50) {
                    failed.add("cgroup " + dir + ": " + busy.getMessage());
                    return;
                }
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
