package io.vnettracer.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Brings a topology up, or brings a lab that is partly up (or up with another topology of the
 * same name) to exactly the topology: every step first looks at what exists. Each namespace,
 * root-namespace device, cgroup and process is written to the state file before it is created.
 */
final class LabUp {
    private static final List<String> NO_IPV6 = List.of("sysctl", "-q", "-w",
            "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");

    /** How long a contention process must survive its start to count as started. */
    private static final long STARTUP_CHECK_MILLIS = 50;

    private final Tools tools;
    private final HostView host;
    private final StateStore store;
    private final Topology topology;
    private final LabNames names;
    /** The lab's Open vSwitch, or null for a Linux bridge. */
    private final OvsSwitch ovs;
    private LabState state;

    LabUp(Tools tools, StateStore store, Topology topology) {
        this.tools = tools;
        this.host = new HostView(tools);
        this.store = store;
        this.topology = topology;
        this.names = topology.names();
        this.ovs = topology.switchSpec().isOvs()
                ? new OvsSwitch(tools, OvsSwitch.runDirectory(store.dir(), topology.name()), names.switchNamespace(), names.bridge())
                : null;
    }

    LabState run() {
        checkCpus();
        if (ovs != null) {
            ovs.check();
        }
        Optional<LabState> before = store.read(topology.name());
        state = before.map(s -> s.withTopology(topology)).orElse(LabState.empty(topology)).withInstanceIfMissing();
        record(state);
        if (before.isPresent() && before.get().topology().switchSpec().isOvs() != topology.switchSpec().isOvs()) {
            removeSwitch();
        }
        removeWhatTheTopologyNoLongerHas();
        String sw = names.switchNamespace();
        if (sw != null) {
            ensureNamespace(sw);
        } else {
            record(state.withRootLink(names.bridge()));
            requireOwnRootLink(names.bridge());
        }
        ensureSetting(OvsSwitch.SEND_BUFFER_SYSCTL, ovs == null ? null : Integer.toString(OvsSwitch.SEND_BUFFER_BYTES));
        if (ovs != null) {
            ensureOvs();
        } else {
            if (!host.links(sw).containsKey(names.bridge())) {
                tools.run("creating the lab's bridge", Tools.ip(sw, "link", "add", names.bridge(), "type", "bridge"));
                mark(sw, names.bridge());
            }
            tools.run("bringing the bridge up", Tools.ip(sw, "link", "set", names.bridge(), "up"));
        }
        for (VmSpec vm : topology.vms()) {
            ensureVm(vm);
        }
        ensureHypervisorSlice();
        ensureContention();
        record(state.asComplete());
        return state;
    }

    private void checkCpus() {
        int cpus = Runtime.getRuntime().availableProcessors();
        List<Integer> asked = new ArrayList<>();
        topology.vms().stream().map(VmSpec::cpu).filter(c -> c != null).forEach(asked::add);
        topology.contention().stream().map(Contention::cpu).forEach(asked::add);
        if (topology.hypervisor() != null) {
            asked.addAll(topology.hypervisor().cores());
        }
        for (int cpu : asked) {
            if (cpu >= cpus) {
                throw new LabException("lab " + topology.name() + " asks for cpu " + cpu + " but this process may use "
                        + cpus + " (0 to " + (cpus - 1) + ")");
            }
        }
    }

    private void removeWhatTheTopologyNoLongerHas() {
        Set<String> wanted = new HashSet<>();
        if (names.switchNamespace() != null) {
            wanted.add(names.switchNamespace());
        }
        topology.vms().forEach(vm -> wanted.add(names.vmNamespace(vm.name())));
        Set<String> present = HostView.namespacesWithPrefix(names.prefix());
        present.addAll(state.namespaces());
        for (String ns : present) {
            // One this lab did not make (no marker) is not the lab's to remove, whatever its name.
            if (!wanted.contains(ns) && host.namespaceMarkedBy(ns, topology.name())) {
                HostView.namespaceInode(ns).ifPresent(inode -> LabProcesses.kill(LabProcesses.inNetNamespaces(Set.of(inode))));
                tools.attempt(Tools.ip(null, "netns", "del", ns));
                record(state.withoutNamespace(ns));
            }
        }
        Set<String> wantedRootLinks = new HashSet<>();
        if (names.switchNamespace() == null) {
            wantedRootLinks.add(names.bridge());
            topology.vms().forEach(vm -> wantedRootLinks.add(names.port(vm.name())));
        }
        for (HostView.Link link : host.links(null).values()) {
            if (link.markedBy(topology.name()) && !wantedRootLinks.contains(link.name())) {
                tools.attempt(Tools.ip(null, "link", "del", link.name()));
                record(state.withoutRootLink(link.name()));
            }
        }
    }

    /**
     * Creates namespace {@code ns} marked as the lab's (the alias of its lo); an existing one is
     * taken only if it carries the lab's marker. The new namespace is marked while it is still
     * anonymous and gets its name only then ({@code ip netns attach}), so an up killed at any point
     * leaves no unmarked namespace of the lab's: an anonymous one dies with the killed commands.
     */
    private void ensureNamespace(String ns) {
        boolean exists = HostView.namespaces().contains(ns);
        if (exists && !host.namespaceMarkedBy(ns, topology.name())) {
            throw notOurs("namespace " + ns, "its lo", "'ip netns del " + ns + "'");
        }
        record(state.withNamespace(ns));
        if (!exists) {
            tools.run("creating namespace " + ns, List.of("unshare", "--net", "--", "sh", "-c",
                    "ip link set lo alias \"$1\" && exec ip netns attach \"$2\" $$", "vnettracer-lab-netns",
                    state.marker().alias(), ns));
        }
        // Also when the namespace exists: an up killed right after creating it did not get this far.
        tools.run("bringing lo up in " + ns, Tools.ip(ns, "link", "set", "lo", "up"));
        // No IPv6 ("all" reaches the existing interfaces too): router solicitations and MLD reports would only add noise to traces.
        tools.run("turning IPv6 off in " + ns, Tools.execIn(ns, NO_IPV6));
    }

    private void ensureVm(VmSpec vm) {
        String sw = names.switchNamespace();
        String ns = names.vmNamespace(vm.name());
        String port = names.port(vm.name());
        ensureNamespace(ns);
        if (sw == null) {
            requireOwnRootLink(port);
            record(state.withRootLink(port));
        }
        Map<String, HostView.Link> vmLinks = host.links(ns);
        if (!host.links(sw).containsKey(port)) {
            if (vmLinks.containsKey(LabNames.VM_INTERFACE)) {
                tools.run("removing a stale " + LabNames.VM_INTERFACE + " of " + ns, Tools.ip(ns, "link", "del", LabNames.VM_INTERFACE));
            }
            tools.run("creating the vif of " + vm.name(), Tools.ip(sw, "link", "add", port, "type", "veth",
                    "peer", "name", LabNames.VM_INTERFACE, "netns", ns));
            mark(sw, port);
        }
        if (ovs != null) {
            tools.run("bringing " + port + " up", Tools.ip(sw, "link", "set", port, "up"));
            ovs.ensurePort(port);
            // The userspace datapath reads a packet through AF_PACKET and sends it on as it is: a checksum the
            // sending veth left to offload (CHECKSUM_PARTIAL) would never be filled in, and the receiver drops it.
            tools.run("computing " + vm.name() + "'s checksums in software", Tools.execIn(ns,
                    List.of("ethtool", "-K", LabNames.VM_INTERFACE, "tx", "off")));
        } else {
            tools.run("attaching " + port + " to the bridge", Tools.ip(sw, "link", "set", port, "master", names.bridge(), "up"));
        }
        if (!host.ipv4Addresses(ns, LabNames.VM_INTERFACE).equals(List.of(vm.address()))) {
            tools.run("clearing the address of " + vm.name(), Tools.ip(ns, "addr", "flush", "dev", LabNames.VM_INTERFACE));
            tools.run("setting the address of " + vm.name(), Tools.ip(ns, "addr", "add", vm.address(), "dev", LabNames.VM_INTERFACE));
        }
        tools.run("bringing " + vm.name() + "'s eth0 up", Tools.ip(ns, "link", "set", LabNames.VM_INTERFACE, "up"));
        applyShaping(sw, port, vm);
        applyLoss(ns, vm);
        if (vm.cgroup() != null) {
            ensureCgroup(HostView.cgroupRoot(), Path.of(vm.cgroup()));
        }
    }

    /**
     * Starts the switch's daemons unless the recorded ones still run, then the bridge, and drops
     * the ports of vms the topology no longer has. The run directory is recorded before it is
     * made; each daemon right after it starts (its pid comes from its pid file), and one started
     * by an up killed in between is found by down in the switch namespace or through its pid file.
     */
    private void ensureOvs() {
        record(state.withDirectory(ovs.directory().toString()));
        ovs.createDirectory();
        for (String daemon : OvsSwitch.DAEMONS) {
            Optional<LabState.ProcessRecord> running = state.daemons().stream()
                    .filter(d -> d.name().equals(daemon) && LabProcesses.isRunningAndMarked(d, topology.name())).findFirst();
            if (running.isPresent()) {
                continue;
            }
            state.daemons().stream().filter(d -> d.name().equals(daemon)).toList().forEach(d -> record(state.withoutDaemon(d)));
            // One from a killed up that never recorded it: it holds the pid file and sockets; replace it.
            ovs.pidFromFile(daemon).ifPresent(stray -> LabProcesses.kill(List.of(stray)));
            long pid = ovs.start(daemon, state.marker());
            long start = LabProcesses.startTime(pid).orElseThrow(() -> new LabException(daemon + " (pid " + pid
                    + ") exited right after it started; see its log in " + ovs.directory()));
            record(state.withDaemon(new LabState.ProcessRecord(daemon, pid, start, -1, null)));
            if (daemon.equals(OvsSwitch.DB_SERVER)) {
                ovs.configure();
            }
        }
        ovs.ensureBridge();
        Set<String> wanted = new HashSet<>();
        topology.vms().forEach(vm -> wanted.add(names.port(vm.name())));
        ovs.ports().stream().filter(p -> !wanted.contains(p)).forEach(ovs::removePort);
        tools.run("bringing the bridge up", Tools.ip(names.switchNamespace(), "link", "set", names.bridge(), "up"));
    }

    /**
     * Another kind of switch than the one up: the old one goes whole (its daemons, its run directory,
     * its namespace with every port in it; the vms' vifs went with their peers and are made again).
     */
    private void removeSwitch() {
        LabProcesses.kill(state.daemons().stream().filter(d -> LabProcesses.isRunningAndMarked(d, topology.name()))
                .map(LabState.ProcessRecord::pid).toList());
        state.daemons().forEach(d -> record(state.withoutDaemon(d)));
        String sw = names.switchNamespace();
        if (sw != null && host.namespaceMarkedBy(sw, topology.name())) {
            HostView.namespaceInode(sw).ifPresent(inode -> LabProcesses.kill(LabProcesses.inNetNamespaces(Set.of(inode))));
            tools.run("removing the old switch's namespace " + sw, Tools.ip(null, "netns", "del", sw));
        }
        for (String dir : state.directories()) {
            if (!OvsSwitch.removeDirectory(Path.of(dir))) {
                throw new LabException("cannot remove the old switch's directory " + dir);
            }
            record(state.withoutDirectory(dir));
        }
    }

    private void applyShaping(String sw, String port, VmSpec vm) {
        Shaping s = vm.shaping();
        Optional<String> current = host.rootQdisc(sw, port);
        String currentKind = current.map(q -> q.split(" ")[0]).orElse("");
        boolean ours = currentKind.equals(Shaping.TBF) || currentKind.equals(Shaping.HTB);
        if (s == null || !s.kind().equals(currentKind)) {
            if (ours) {
                tools.run("removing the shaping of " + port, Tools.tc(sw, "qdisc", "del", "dev", port, "root"));
            }
        }
        if (s == null) {
            return;
        }
        String what = "shaping " + port + " (vm " + vm.name() + ")";
        if (s.kind().equals(Shaping.TBF)) {
            tools.run(what, Tools.tc(sw, "qdisc", "replace", "dev", port, "root", "handle", "1:", "tbf",
                    "rate", s.rate(), "burst", s.burstOrDefault(), "latency", s.latencyOrDefault()));
        } else {
            tools.run(what, Tools.tc(sw, "qdisc", "replace", "dev", port, "root", "handle", "1:", "htb", "default", "1"));
            List<String> cls = new ArrayList<>(Tools.tc(sw, "class", "replace", "dev", port, "parent", "1:", "classid", "1:1",
                    "htb", "rate", s.rate(), "ceil", s.ceilOrRate()));
            if (s.burst() != null) {
                cls.addAll(List.of("burst", s.burst()));
            }
            tools.run(what, cls);
        }
    }

    private void applyLoss(String ns, VmSpec vm) {
        String chain = LabNames.LOSS_CHAIN;
        List<String> rules = host.iptablesRules(ns);
        boolean chainExists = rules.contains("-N " + chain);
        boolean jumpExists = rules.contains("-A INPUT -j " + chain);
        Loss loss = vm.loss();
        if (loss == null) {
            if (jumpExists) {
                tools.run("removing the loss rule of " + vm.name(), Tools.iptables(ns, "-D", "INPUT", "-j", chain));
            }
            if (chainExists) {
                tools.run("removing the loss rule of " + vm.name(), Tools.iptables(ns, "-F", chain));
                tools.run("removing the loss rule of " + vm.name(), Tools.iptables(ns, "-X", chain));
            }
            return;
        }
        if (!chainExists) {
            tools.run("creating the loss chain of " + vm.name(), Tools.iptables(ns, "-N", chain));
        } else {
            tools.run("emptying the loss chain of " + vm.name(), Tools.iptables(ns, "-F", chain));
        }
        List<String> rule = new ArrayList<>(List.of("-A", chain));
        if (loss.protocol() != null) {
            rule.addAll(List.of("-p", loss.protocol()));
        }
        if (loss.port() != null) {
            rule.addAll(List.of("--dport", Integer.toString(loss.port())));
        }
        rule.addAll(List.of("-m", "statistic", "--mode", "random", "--probability", Double.toString(loss.probability()), "-j", "DROP"));
        tools.run("adding the loss rule of " + vm.name(), Tools.iptables(ns, rule.toArray(String[]::new)));
        if (!jumpExists) {
            tools.run("hooking the loss chain of " + vm.name() + " into INPUT", Tools.iptables(ns, "-I", "INPUT", "1", "-j", chain));
        }
    }

    /** Creates {@code relative} below {@code root}, recording each directory it creates (parents first). */
    private void ensureCgroup(Path root, Path relative) {
        Path dir = root;
        for (Path part : relative) {
            dir = dir.resolve(part);
            if (!Files.isDirectory(dir)) {
                record(state.withCgroup(dir.toString()));
                try {
                    Files.createDirectory(dir);
                } catch (IOException e) {
                    throw new LabException("cannot create cgroup " + dir + ": " + e.getMessage(), e);
                }
            }
        }
    }

    /** Sets the round-robin slice the hypervisor model asks for (see {@link #ensureSetting}). */
    private void ensureHypervisorSlice() {
        Hypervisor hypervisor = topology.hypervisor();
        ensureSetting(Hypervisor.RR_TIMESLICE_SYSCTL, hypervisor == null ? null : Integer.toString(hypervisor.sliceMillis()));
    }

    /**
     * Sets global kernel setting {@code key} (one of {@link Sysctl#CHANGED_BY_LABS}) to {@code value}
     * after recording the value it replaces; with {@code value} null (the topology does not need
     * it), puts back a value an earlier {@code up} of this lab changed.
     */
    private void ensureSetting(String key, String value) {
        if (value == null) {
            String saved = state.savedSysctls().get(key);
            if (saved != null) {
                Sysctl.restore(key, saved);
                record(state.withoutSavedSysctl(key));
            }
            return;
        }
        record(state.withSavedSysctl(key, Sysctl.original(key)));
        Sysctl.write(key, value);
    }

    private void ensureContention() {
        VmCommands commands = new VmCommands(topology, topology.vms().stream().anyMatch(v -> v.cgroup() != null)
                ? HostView.cgroupRoot() : Path.of("/"));
        List<LabState.ProcessRecord> kept = new ArrayList<>();
        for (LabState.ProcessRecord p : state.processes()) {
            boolean wanted = topology.contention().stream().anyMatch(c -> c.name().equals(p.name())
                    && c.cpu() == p.cpu() && java.util.Objects.equals(c.vm(), p.vm()));
            boolean running = LabProcesses.isRunningAndMarked(p, topology.name());
            if (wanted && running && kept.stream().noneMatch(k -> k.name().equals(p.name()))) {
                kept.add(p);
            } else {
                if (running) {
                    LabProcesses.kill(List.of(p.pid()));
                }
                record(state.withoutProcess(p));
            }
        }
        // Marked processes nobody recorded: started by an up that was killed before it could write them down.
        Set<Long> keptPids = new HashSet<>();
        kept.forEach(p -> keptPids.add(p.pid()));
        // Both marks: the OVS daemons carry the environment marker too, and a process of someone else may carry the argument.
        List<Long> strays = new ArrayList<>(LabProcesses.withArgumentStartingWith(names.processMarkerPrefix()));
        strays.retainAll(LabProcesses.markedBy(topology.name()));
        strays.removeAll(keptPids);
        LabProcesses.kill(strays);
        List<String> started = new ArrayList<>();
        for (Contention c : topology.contention()) {
            if (kept.stream().anyMatch(p -> p.name().equals(c.name()))) {
                continue;
            }
            List<String> busyLoop = List.of("bash", "-c", "while :; do :; done", names.processMarker(c.name()));
            List<String> command = c.vm() == null ? VmCommands.pinned(c.cpu(), busyLoop) : commands.inVm(c.vm(), c.cpu(), busyLoop);
            long pid = LabProcesses.startDetached(command, state.marker());
            long start = LabProcesses.startTime(pid).orElseThrow(() -> new LabException(
                    "contention process " + c.name() + " (" + String.join(" ", command) + ") exited at once"));
            record(state.withProcess(new LabState.ProcessRecord(c.name(), pid, start, c.cpu(), c.vm())));
            started.add(String.join(" ", command));
        }
        if (!started.isEmpty()) {
            sleep(STARTUP_CHECK_MILLIS);
            for (LabState.ProcessRecord p : state.processes()) {
                if (!LabProcesses.isRunning(p)) {
                    throw new LabException("contention process " + p.name() + " (pid " + p.pid() + ") exited right after"
                            + " it started; try its command by hand: " + started);
                }
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted while starting contention processes", e);
        }
    }

    /** Sets the lab's marker as the alias of device {@code device} in {@code ns} (null: the root namespace). */
    private void mark(String ns, String device) {
        tools.run("marking " + device + (ns == null ? "" : " in " + ns) + " as lab " + topology.name() + "'s",
                Tools.ip(ns, "link", "set", device, "alias", state.marker().alias()));
    }

    /** Refuses a root-namespace device of the lab's name that the lab did not make. */
    private void requireOwnRootLink(String link) {
        HostView.Link existing = host.links(null).get(link);
        if (existing != null && !existing.markedBy(topology.name())) {
            throw notOurs("link " + link, "it", "'ip link del " + link + "'");
        }
    }

    private LabException notOurs(String what, String carrier, String removal) {
        return new LabException(what + " exists but lab " + topology.name() + " did not make it (" + carrier
                + " carries no alias " + LabMarker.ALIAS_PREFIX + topology.name() + ":...): the lab leaves it alone;"
                + " remove it with " + removal + " if it is a leftover, or give the lab another name");
    }

    private void record(LabState next) {
        state = next;
        store.write(state);
    }
}
