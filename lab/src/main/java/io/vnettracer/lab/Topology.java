package io.vnettracer.lab;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A lab as its topology file describes it (docs/LAB.md): a name, a switch, VMs, contention and
 * optionally a hypervisor model sharing cores between VMs.
 * Built by {@link TopologyFile}; {@link #validate()} checks what YAML cannot (names, lengths,
 * addresses, ranges) before anything is created.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Topology(String name,
                       @JsonProperty("switch") SwitchSpec switchSpec,
                       List<VmSpec> vms,
                       List<Contention> contention,
                       Hypervisor hypervisor) {
    /** Lab names prefix every namespace and device, so they hold no '-' (the separator). */
    private static final Pattern LAB_NAME = Pattern.compile("[a-z][a-z0-9]{0,9}");
    private static final Pattern PART_NAME = Pattern.compile("[a-z][a-z0-9]*");
    private static final Pattern IPV4_CIDR = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)/(3[0-2]|[12]?\\d)");
    private static final Pattern TC_QUANTITY = Pattern.compile("\\d+(\\.\\d+)?[a-zA-Z]*");
    private static final Set<String> RESERVED = Set.of(LabNames.SWITCH_SUFFIX, LabNames.BRIDGE_SUFFIX);

    public Topology {
        vms = vms == null ? List.of() : List.copyOf(vms);
        contention = contention == null ? List.of() : List.copyOf(contention);
        switchSpec = switchSpec == null ? new SwitchSpec(SwitchSpec.OWN) : switchSpec;
    }

    @JsonIgnore
    public LabNames names() {
        return new LabNames(name, switchSpec.inRootNamespace());
    }

    public Optional<VmSpec> vm(String vmName) {
        return vms.stream().filter(v -> v.name().equals(vmName)).findFirst();
    }

    /** Checks the topology; throws one exception listing every problem, each with its field. */
    public Topology validate() {
        List<String> problems = new ArrayList<>();
        if (name == null || !LAB_NAME.matcher(name).matches()) {
            problems.add("name: '" + name + "' is not a lab name (a lowercase letter, then up to 9 lowercase letters or digits)");
        }
        if (switchSpec.namespace() != null && !switchSpec.namespace().equals(SwitchSpec.OWN) && !switchSpec.inRootNamespace()) {
            problems.add("switch.namespace: '" + switchSpec.namespace() + "' is neither 'own' nor 'root'");
        }
        if (switchSpec.kind() != null && !switchSpec.kind().equals(SwitchSpec.BRIDGE) && !switchSpec.isOvs()) {
            problems.add("switch.kind: '" + switchSpec.kind() + "' is neither 'bridge' nor 'ovs'");
        }
        if (switchSpec.isOvs() && switchSpec.inRootNamespace()) {
            // The userspace datapath makes a device 'ovs-netdev' in its namespace, one per namespace whoever runs it.
            problems.add("switch.namespace: 'root' cannot hold an ovs switch (its datapath device ovs-netdev would be"
                    + " shared with any other Open vSwitch of the host); leave namespace out or set it to 'own'");
        }
        if (vms.isEmpty()) {
            problems.add("vms: a lab needs at least one vm");
        }
        Set<String> vmNames = new HashSet<>();
        Set<String> addresses = new HashSet<>();
        for (int i = 0; i < vms.size(); i++) {
            validateVm("vms[" + i + "]", vms.get(i), vmNames, addresses, problems);
        }
        Set<String> contentionNames = new HashSet<>();
        for (int i = 0; i < contention.size(); i++) {
            Contention c = contention.get(i);
            String at = "contention[" + i + "]";
            if (c.name() == null || !PART_NAME.matcher(c.name()).matches()) {
                problems.add(at + ".name: '" + c.name() + "' is not a name (lowercase letters and digits, a letter first)");
            } else if (!contentionNames.add(c.name())) {
                problems.add(at + ".name: '" + c.name() + "' is used twice");
            }
            if (c.cpu() == null || c.cpu() < 0) {
                problems.add(at + ".cpu: a cpu number (0, 1, ...) is needed");
            }
            if (c.vm() != null && !vmNames.contains(c.vm())) {
                problems.add(at + ".vm: no vm named '" + c.vm() + "'");
            }
        }
        if (hypervisor != null) {
            hypervisor.validate("hypervisor", problems);
        }
        if (!problems.isEmpty()) {
            throw new TopologyException(String.join("\n", problems));
        }
        return this;
    }

    private void validateVm(String at, VmSpec vm, Set<String> vmNames, Set<String> addresses, List<String> problems) {
        if (vm.name() == null || !PART_NAME.matcher(vm.name()).matches() || RESERVED.contains(vm.name())) {
            problems.add(at + ".name: '" + vm.name() + "' is not a vm name (lowercase letters and digits, a letter first;"
                    + " not " + String.join(" or ", RESERVED) + ")");
        } else if (!vmNames.add(vm.name())) {
            problems.add(at + ".name: '" + vm.name() + "' is used twice");
        } else if (name != null && LabNames.portLength(name, vm.name()) > LabNames.MAX_INTERFACE_NAME) {
            problems.add(at + ".name: '" + vm.name() + "' makes the switch port name '" + LabNames.port(name, vm.name())
                    + "' longer than " + LabNames.MAX_INTERFACE_NAME + " characters; shorten the lab or vm name");
        }
        if (vm.address() == null || !IPV4_CIDR.matcher(vm.address()).matches()) {
            problems.add(at + ".address: '" + vm.address() + "' is not an IPv4 address with a prefix length, e.g. 10.0.0.1/24");
        } else if (!addresses.add(vm.ip())) {
            problems.add(at + ".address: " + vm.ip() + " is used twice");
        }
        if (vm.cpu() != null && vm.cpu() < 0) {
            problems.add(at + ".cpu: " + vm.cpu() + " is not a cpu number");
        }
        if (vm.cgroup() != null && (vm.cgroup().isBlank() || vm.cgroup().contains("..") || vm.cgroup().startsWith("/"))) {
            problems.add(at + ".cgroup: '" + vm.cgroup() + "' is not a path below the cgroup v2 mount (relative, no '..')");
        }
        if (vm.shaping() != null) {
            validateShaping(at + ".shaping", vm.shaping(), problems);
        }
        if (vm.loss() != null) {
            Loss loss = vm.loss();
            if (loss.probability() == null || !(loss.probability() > 0 && loss.probability() <= 1)) {
                problems.add(at + ".loss.probability: " + loss.probability() + " is not in (0, 1]");
            }
            if (loss.protocol() != null && !Set.of("udp", "tcp", "icmp").contains(loss.protocol())) {
                problems.add(at + ".loss.protocol: '" + loss.protocol() + "' is not udp, tcp or icmp");
            }
            if (loss.port() != null && (loss.port() < 1 || loss.port() > 65535
                    || !("udp".equals(loss.protocol()) || "tcp".equals(loss.protocol())))) {
                problems.add(at + ".loss.port: a port (1-65535) needs protocol udp or tcp");
            }
        }
    }

    private static void validateShaping(String at, Shaping s, List<String> problems) {
        if (!s.kind().equals(Shaping.TBF) && !s.kind().equals(Shaping.HTB)) {
            problems.add(at + ".qdisc: '" + s.qdisc() + "' is neither tbf nor htb");
        }
        if (s.rate() == null) {
            problems.add(at + ".rate: a rate is needed, e.g. 100mbit");
        }
        for (String[] field : new String[][] {{"rate", s.rate()}, {"burst", s.burst()}, {"latency", s.latency()}, {"ceil", s.ceil()}}) {
            if (field[1] != null && !TC_QUANTITY.matcher(field[1]).matches()) {
                problems.add(at + "." + field[0] + ": '" + field[1] + "' is not a tc quantity such as 100mbit, 32kb or 20ms");
            }
        }
        if (s.kind().equals(Shaping.TBF) && s.ceil() != null) {
            problems.add(at + ".ceil: only htb has a ceil");
        }
        if (s.kind().equals(Shaping.HTB) && s.latency() != null) {
            problems.add(at + ".latency: only tbf has a latency");
        }
    }
}
