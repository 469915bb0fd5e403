package io.vnettracer.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Removes a lab: what its state file records, and whatever carries its name (namespaces
 * {@code <lab>-*}, root-namespace links {@code <lab>-*}, processes marked with the lab or living
 * in its namespaces), so that it also cleans up after an {@code up} that was killed. Loss rules
 * and shaping live in the lab's namespaces and devices and go with them.
 */
public final class LabDown {
    /** What was removed, and what could not be. */
    public record Report(List<String> removed, List<String> failed) {}

    private final Tools tools;
    private final HostView host;
    private final StateStore store;

    LabDown(Tools tools, StateStore store) {
        this.tools = tools;
        this.host = new HostView(tools);
        this.store = store;
    }

    Report run(String lab, Optional<Topology> topologyFile) {
        List<String> removed = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        Optional<LabState> state = store.read(lab);
        Optional<Topology> topology = topologyFile.or(() -> state.map(LabState::topology));
        LabNames names = new LabNames(lab, false);

        // 1. Processes: recorded ones (if still the same process), marked ones, and any inside the lab's namespaces.
        Set<String> namespaces = new LinkedHashSet<>(state.map(LabState::namespaces).orElse(List.of()));
        namespaces.addAll(HostView.namespacesWithPrefix(names.prefix()));
        Set<Long> pids = new LinkedHashSet<>();
        state.ifPresent(s -> s.processes().stream().filter(LabProcesses::isRunning).forEach(p -> pids.add(p.pid())));
        state.ifPresent(s -> s.daemons().stream().filter(LabProcesses::isRunning).forEach(p -> pids.add(p.pid())));
        // An OVS switch's run directories: recorded ones, and the one its name gives (state file gone).
        Set<Path> directories = new LinkedHashSet<>();
        state.ifPresent(s -> s.directories().forEach(d -> directories.add(Path.of(d))));
        directories.add(OvsSwitch.runDirectory(store.dir(), lab));
        // Daemons an up started but did not live to record, should their namespace be gone already.
        for (Path dir : directories) {
            OvsSwitch.DAEMONS.forEach(d -> OvsSwitch.pidFromFile(dir, d).ifPresent(pids::add));
        }
        pids.addAll(LabProcesses.withArgumentStartingWith(names.processMarkerPrefix()));
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

        // 1b. Global kernel settings the lab changed (the hypervisor's slice): back to what they were.
        state.ifPresent(s -> s.savedSysctls().forEach((key, value) -> {
            try {
                Sysctl.restore(key, value);
                removed.add("setting " + key + " (back to " + value + ")");
            } catch (LabException e) {
                failed.add("setting " + key + ": " + e.getMessage());
            }
        }));

        // 2. Namespaces, and with them the vifs, bridge, qdiscs and iptables rules inside.
        Set<String> existing = HostView.namespaces();
        for (String ns : namespaces) {
            if (!existing.contains(ns) && !Files.exists(Path.of("/var/run/netns", ns))) {
                continue;
            }
            Tools.Result r = tools.attempt(Tools.ip(null, "netns", "del", ns));
            (r.ok() ? removed : failed).add("namespace " + ns + (r.ok() ? "" : ": " + r.output().strip()));
        }

        // 3. Links in the root namespace (a switch there): the bridge, and ports (whose peers died with the vms).
        Set<String> links = new LinkedHashSet<>(state.map(LabState::rootLinks).orElse(List.of()));
        links.addAll(host.links(null).keySet().stream().filter(l -> l.startsWith(names.prefix())).toList());
        Set<String> rootLinks = host.links(null).keySet();
        for (String link : links) {
            if (!rootLinks.contains(link)) {
                continue;
            }
            Tools.Result r = tools.attempt(Tools.ip(null, "link", "del", link));
            boolean gone = r.ok() || !host.links(null).containsKey(link); // a veth goes with its peer
            (gone ? removed : failed).add("link " + link + (gone ? "" : ": " + r.output().strip()));
        }

        // 3b. Directories (an OVS switch's database, sockets and logs), once their daemons are gone.
        for (Path dir : directories) {
            if (Files.exists(dir)) {
                boolean gone = OvsSwitch.removeDirectory(dir);
                (gone ? removed : failed).add("directory " + dir);
            }
        }

        // 4. Cgroups, deepest first: recorded ones; without a state file, the topology's own.
        List<String> cgroups = new ArrayList<>(state.map(LabState::cgroups).orElse(List.of()));
        if (state.isEmpty() && topology.isPresent()) {
            for (VmSpec vm : topology.get().vms()) {
                if (vm.cgroup() != null) {
                    cgroups.add(HostView.cgroupRoot().resolve(vm.cgroup()).toString());
                }
            }
        }
        for (String dir : cgroups.reversed()) {
            removeCgroup(Path.of(dir), removed, failed);
        }

        if (state.isPresent()) {
            store.delete(lab);
            removed.add("state file " + store.fileOf(lab));
        }
        return new Report(removed, failed);
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
