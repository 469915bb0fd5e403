package io.vnettracer.lab;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vnettracer.bpf.features.MountTable;
import io.vnettracer.bpf.netns.NetNamespace;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** What exists on the host now, as the network tools report it (a null namespace is the root one). */
final class HostView {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Tools tools;

    HostView(Tools tools) {
        this.tools = tools;
    }

    static Set<String> namespaces() {
        return new TreeSet<>(NetNamespace.list());
    }

    static Set<String> namespacesWithPrefix(String prefix) {
        Set<String> found = new TreeSet<>();
        for (String ns : NetNamespace.list()) {
            if (ns.startsWith(prefix)) {
                found.add(ns);
            }
        }
        return found;
    }

    /** The inode of named namespace {@code ns}, or empty if it is gone (or is a stale entry). */
    static Optional<Long> namespaceInode(String ns) {
        try (NetNamespace handle = NetNamespace.named(ns)) {
            return Optional.of(handle.inode());
        } catch (RuntimeException gone) {
            return Optional.empty();
        }
    }

    /** A link as {@code ip -j link} describes it: name, master, up, alias (null if none). */
    record Link(String name, String master, boolean up, String alias) {
        /** Whether the link carries lab {@code lab}'s marker. */
        boolean markedBy(String lab) {
            return LabMarker.isAliasOf(lab, alias);
        }
    }

    /** The links of {@code ns} by name; empty if the namespace does not exist. */
    Map<String, Link> links(String ns) {
        Tools.Result r = tools.attempt(Tools.ip(ns, "-j", "link", "show"));
        Map<String, Link> links = new LinkedHashMap<>();
        if (!r.ok()) {
            return links;
        }
        for (JsonNode link : parse(r.output())) {
            List<String> flags = new ArrayList<>();
            link.path("flags").forEach(f -> flags.add(f.asText()));
            String name = link.path("ifname").asText();
            links.put(name, new Link(name, link.path("master").asText(null), flags.contains("UP"), link.path("ifalias").asText(null)));
        }
        return links;
    }

    /**
     * Whether named namespace {@code ns} carries lab {@code lab}'s marker (the alias of its {@code lo},
     * which lives and dies with the namespace); false if it does not exist.
     */
    boolean namespaceMarkedBy(String ns, String lab) {
        Link lo = links(ns).get("lo");
        return lo != null && lo.markedBy(lab);
    }

    /** The IPv4 addresses (CIDR) of {@code dev} in {@code ns}; empty if either is missing. */
    List<String> ipv4Addresses(String ns, String dev) {
        Tools.Result r = tools.attempt(Tools.ip(ns, "-j", "-4", "addr", "show", "dev", dev));
        List<String> addresses = new ArrayList<>();
        if (r.ok()) {
            for (JsonNode link : parse(r.output())) {
                link.path("addr_info").forEach(a -> addresses.add(a.path("local").asText() + "/" + a.path("prefixlen").asInt()));
            }
        }
        return addresses;
    }

    /** The root qdisc of {@code dev} as {@code tc qdisc show} prints it ("tbf 8001: root ... rate 100Mbit ..."), if any. */
    Optional<String> rootQdisc(String ns, String dev) {
        Tools.Result r = tools.attempt(Tools.tc(ns, "qdisc", "show", "dev", dev, "root"));
        if (!r.ok() || r.output().isBlank()) {
            return Optional.empty();
        }
        String line = r.output().lines().findFirst().orElse("").strip();
        return Optional.of(line.startsWith("qdisc ") ? line.substring("qdisc ".length()) : line);
    }

    /** The rules of {@code ns}'s filter table as {@code iptables -S} prints them; empty if it cannot be read. */
    List<String> iptablesRules(String ns) {
        Tools.Result r = tools.attempt(Tools.iptables(ns, "-S"));
        return r.ok() ? r.output().lines().toList() : List.of();
    }

    /** The cgroup v2 mount point. */
    static Path cgroupRoot() {
        return MountTable.ofCurrentProcess().firstOfType("cgroup2").map(m -> Path.of(m.mountPoint()))
                .orElseThrow(() -> new LabException("no cgroup v2 hierarchy is mounted; a vm's cgroup needs one"
                        + " (mount -t cgroup2 none /sys/fs/cgroup/unified)"));
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json.isBlank() ? "[]" : json);
        } catch (IOException e) {
            throw new LabException("cannot parse the JSON output of ip: " + e.getMessage(), e);
        }
    }
}
