package io.vnettracer.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vnettracer.bpf.netns.NetNamespace;
import io.vnettracer.bpf.testing.Shell;
import java.util.ArrayList;
import java.util.List;

/** What of a lab named {@code lab} exists on the host, found without the lab's own code where possible. */
final class LabLeftovers {
    private LabLeftovers() {}

    static List<String> of(String lab) {
        List<String> found = new ArrayList<>();
        NetNamespace.list().stream().filter(ns -> ns.startsWith(lab + "-")).forEach(ns -> found.add("namespace " + ns));
        Shell.run("ip", "-o", "link", "show").lines()
                .map(l -> l.split(": ")[1].split("@")[0])
                .filter(name -> name.startsWith(lab + "-"))
                .forEach(name -> found.add("link " + name));
        LabProcesses.withArgumentStartingWith("vnettracer-lab-" + lab + "-").forEach(pid -> found.add("process " + pid));
        return found;
    }

    static void assertNone(String lab) {
        assertEquals(List.of(), of(lab), "nothing of lab " + lab + " is left");
    }
}
