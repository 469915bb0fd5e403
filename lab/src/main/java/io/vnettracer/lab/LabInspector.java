package io.vnettracer.lab;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Compares what exists with what a topology asks for. Changes nothing. */
final class LabInspector {
    private final Tools tools;
    private final HostView host;
    private final StateStore store;

    LabInspector(Tools tools, StateStore store) {
        this.tools = tools;
        this.host = new HostView(tools);
        this.store = store;
    }

    LabStatus inspect(String lab, Optional<Topology> topologyFile) {
        Optional<LabState> state = store.read(lab);
        Optional<Topology> topology = topologyFile.or(() -> state.map(LabState::topology));
        LabNames prefixOnly = new LabNames(lab, false);
        java.nio.file.Path ovsDirectory = OvsSwitch.runDirectory(store.dir(), lab);
        // Only what carries the lab's marker is the lab's: a namespace or link that merely has its name is not.
        Set<String> namespaces = HostView.namespacesWithPrefix(prefixOnly.prefix());
        namespaces.removeIf(ns -> !host.namespaceMarkedBy(ns, lab));
        List<Long> marked = new ArrayList<>(LabProcesses.withArgumentStartingWith(prefixOnly.processMarkerPrefix()));
        marked.retainAll(LabProcesses.markedBy(lab));
        List<String> leftovers = new ArrayList<>();
        List<LabStatus.Item> items = new ArrayList<>();

        if (topology.isPresent()) {
            Topology t = topology.get();
            LabNames names = t.names();
            String sw = names.switchNamespace();
            if (sw != null) {
                items.add(new LabStatus.Item("", "namespace", sw, namespaces.contains(sw), "switch"));
            }
            Map<String, HostView.Link> switchLinks = sw == null || namespaces.contains(sw) ? host.links(sw) : Map.of();
            HostView.Link bridge = switchLinks.get(names.bridge());
            Set<String> ovsPorts = null;
            if (t.switchSpec().isOvs()) {
                OvsSwitch ovs = new OvsSwitch(tools, ovsDirectory, sw, names.bridge());
                ovsPorts = Set.copyOf(inspectOvs(ovs, lab, state, items));
            } else {
                items.add(new LabStatus.Item("", "bridge", names.bridge(), bridge != null && bridge.up(),
                        bridge == null ? "missing" : bridge.up() ? "up" : "down"));
            }
            for (VmSpec vm : t.vms()) {
                inspectVm(names, vm, namespaces, switchLinks, ovsPorts, items);
            }
            if (t.hypervisor() != null) {
                String slice = Sysctl.read(Hypervisor.RR_TIMESLICE_SYSCTL);
                boolean set = slice.equals(Integer.toString(t.hypervisor().sliceMillis()));
                items.add(new LabStatus.Item("", "hypervisor", "cores " + t.hypervisor().cores(), set,
                        "round robin, " + Hypervisor.RR_TIMESLICE_SYSCTL + " = " + slice + " (asked: " + t.hypervisor().slice() + ")"));
            }
            List<Long> recorded = new ArrayList<>();
            for (Contention c : t.contention()) {
                Optional<LabState.ProcessRecord> p = state.flatMap(s -> s.processes().stream()
                        .filter(r -> r.name().equals(c.name())).findFirst());
                boolean running = p.isPresent() && LabProcesses.isRunningAndMarked(p.get(), lab);
                p.filter(r -> running).ifPresent(r -> recorded.add(r.pid()));
                items.add(new LabStatus.Item(c.vm() == null ? "" : c.vm(), "contention", c.name(), running,
                        running ? "pid " + p.get().pid() + " on cpu " + c.cpu() : "not running"));
            }
            Set<String> known = new java.util.HashSet<>();
            if (sw != null) {
                known.add(sw);
            }
            t.vms().forEach(vm -> known.add(names.vmNamespace(vm.name())));
            namespaces.stream().filter(ns -> !known.contains(ns)).forEach(ns -> leftovers.add("namespace " + ns));
            marked.stream().filter(pid -> !recorded.contains(pid)).forEach(pid -> leftovers.add("process " + pid));
        } else {
            namespaces.forEach(ns -> leftovers.add("namespace " + ns));
            marked.forEach(pid -> leftovers.add("process " + pid));
        }
        if (Files.exists(ovsDirectory) && (topology.isEmpty() || !topology.get().switchSpec().isOvs())) {
            leftovers.add("directory " + ovsDirectory);
        }
        host.links(null).values().stream()
                .filter(l -> l.markedBy(lab))
                .map(HostView.Link::name)
                .filter(l -> topology.isEmpty() || !topology.get().switchSpec().inRootNamespace())
                .forEach(l -> leftovers.add("link " + l));

        boolean allOk = !items.isEmpty() && items.stream().allMatch(LabStatus.Item::ok) && leftovers.isEmpty();
        boolean anything = state.isPresent() || !leftovers.isEmpty() || items.stream().anyMatch(LabStatus.Item::ok);
        LabStatus.Health health = allOk && state.isPresent() ? LabStatus.Health.UP
                : anything ? LabStatus.Health.PARTIAL : LabStatus.Health.ABSENT;
        return new LabStatus(lab, health, state.isPresent(), items, leftovers);
    }

    /** The daemons (recorded, running) and the bridge (there, on the userspace datapath); returns the bridge's ports. */
    private static List<String> inspectOvs(OvsSwitch ovs, String lab, Optional<LabState> state, List<LabStatus.Item> items) {
        for (String daemon : OvsSwitch.DAEMONS) {
            Optional<LabState.ProcessRecord> p = state.flatMap(s -> s.daemons().stream()
                    .filter(d -> d.name().equals(daemon)).findFirst());
            boolean running = p.isPresent() && LabProcesses.isRunningAndMarked(p.get(), lab);
            items.add(new LabStatus.Item("", "daemon", daemon, running,
                    running ? "pid " + p.get().pid() + ", files in " + ovs.directory() : "not running"));
        }
        boolean exists = ovs.bridgeExists();
        String datapath = exists ? ovs.datapathType() : "";
        List<String> ports = exists ? ovs.ports() : List.of();
        items.add(new LabStatus.Item("", "bridge", ovs.bridge(), exists && datapath.equals("netdev"),
                exists ? "ovs, datapath_type " + (datapath.isEmpty() ? "(default: system)" : datapath) + ", " + ports.size() + " ports"
                        : "missing"));
        return ports;
    }

    /** {@code ovsPorts}: the OVS bridge's ports, or null when the switch is a Linux bridge. */
    private void inspectVm(LabNames names, VmSpec vm, Set<String> namespaces, Map<String, HostView.Link> switchLinks,
                           Set<String> ovsPorts, List<LabStatus.Item> items) {
        String ns = names.vmNamespace(vm.name());
        boolean nsExists = namespaces.contains(ns);
        items.add(new LabStatus.Item(vm.name(), "namespace", ns, nsExists, nsExists ? "" : "missing"));
        List<String> addresses = nsExists ? host.ipv4Addresses(ns, LabNames.VM_INTERFACE) : List.of();
        HostView.Link eth0 = nsExists ? host.links(ns).get(LabNames.VM_INTERFACE) : null;
        boolean vifOk = eth0 != null && eth0.up() && addresses.equals(List.of(vm.address()));
        items.add(new LabStatus.Item(vm.name(), "vif", LabNames.VM_INTERFACE, vifOk,
                eth0 == null ? "missing" : String.join(",", addresses) + (eth0.up() ? " up" : " down")));
        String port = names.port(vm.name());
        HostView.Link p = switchLinks.get(port);
        boolean onBridge = ovsPorts == null ? names.bridge().equals(p == null ? null : p.master()) : ovsPorts.contains(port);
        boolean portOk = p != null && p.up() && onBridge;
        String where = ovsPorts == null ? (p == null || p.master() == null ? "not on a bridge" : "on " + p.master())
                : onBridge ? "on " + names.bridge() + " (ovs)" : "not on " + names.bridge() + " (ovs)";
        items.add(new LabStatus.Item(vm.name(), "port", port, portOk, p == null ? "missing" : where + (p.up() ? " up" : " down")));
        if (vm.shaping() != null) {
            Optional<String> qdisc = p == null ? Optional.empty() : host.rootQdisc(names.switchNamespace(), port);
            String kind = qdisc.map(q -> q.split(" ")[0]).orElse("");
            items.add(new LabStatus.Item(vm.name(), "shaping", port, kind.equals(vm.shaping().kind()),
                    qdisc.orElse("missing") + " (asked: " + vm.shaping().describe() + ")"));
        }
        if (vm.loss() != null) {
            List<String> rules = nsExists ? host.iptablesRules(ns) : List.of();
            boolean hooked = rules.contains("-A INPUT -j " + LabNames.LOSS_CHAIN);
            Optional<String> rule = rules.stream().filter(r -> r.startsWith("-A " + LabNames.LOSS_CHAIN + " ")).findFirst();
            Optional<Double> probability = rule.flatMap(LabInspector::probabilityOf);
            boolean ok = hooked && probability.isPresent() && Math.abs(probability.get() - vm.loss().probability()) < 1e-6;
            items.add(new LabStatus.Item(vm.name(), "loss", LabNames.LOSS_CHAIN, ok,
                    rule.map(r -> r.substring(3) + (hooked ? "" : " (not hooked into INPUT)")).orElse("missing")
                            + " (asked: " + vm.loss().describe() + ")"));
        }
        if (vm.cgroup() != null) {
            java.nio.file.Path dir = HostView.cgroupRoot().resolve(vm.cgroup());
            boolean exists = Files.isDirectory(dir);
            items.add(new LabStatus.Item(vm.name(), "cgroup", vm.cgroup(), exists, (exists ? "" : "missing: ") + dir));
        }
    }

    static Optional<Double> probabilityOf(String rule) {
        String[] words = rule.split(" ");
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals("--probability")) {
                try {
                    return Optional.of(Double.parseDouble(words[i + 1]));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }
}
