package io.vnettracer.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.netns.NetNamespace;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Shell;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code down} removes only what the lab can prove it made: namespaces, links and processes that
 * merely carry its name, or that a state file names, are left alone; a state file others could
 * have written is refused outright.
 */
class LabOwnershipTest {
    @TempDir
    Path stateDir;

    private String lab;
    private final List<Process> started = new ArrayList<>();
    private final List<String> foreignNamespaces = new ArrayList<>();
    private final List<String> foreignLinks = new ArrayList<>();

    @BeforeEach
    void name() {
        Root.assume();
        lab = "hl" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 25), 36);
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor();
        }
        foreignNamespaces.forEach(ns -> Shell.quiet("ip", "netns", "del", ns));
        foreignLinks.forEach(l -> Shell.quiet("ip", "link", "del", l));
        if (lab != null) {
            try {
                new Lab(stateDir, line -> { }).down(lab, Optional.empty());
            } catch (UnsafeStateException planted) {
                // a test's planted state file: what it names is the test's to remove
            }
        }
    }

    private Topology topology() {
        return TopologyFile.parse("name: " + lab + "\nswitch: {namespace: root}\nvms:\n"
                + "  - {name: a, address: 10.213.121.10/24}\n  - {name: b, address: 10.213.121.11/24}\n"
                + "contention:\n  - {name: hog, cpu: 0}\n", "hl.yaml");
    }

    @Test
    void downLeavesAloneWhatOnlyCarriesTheLabsName() throws Exception {
        Lab labs = new Lab(stateDir, line -> { });
        labs.up(topology());
        long hog = labs.state(lab).orElseThrow().processes().getFirst().pid();
        String foreignNs = foreignNamespace(lab + "-foreign");
        String foreignLink = foreignVeth(lab + "-f0", lab + "-f1");
        Process inForeignNs = start(List.of("ip", "netns", "exec", foreignNs, "sleep", "300"));
        Process withTheArgument = start(List.of("bash", "-c", "sleep 300; true", "vnettracer-lab-" + lab + "-hog"));

        LabDown.Report report = labs.down(lab, Optional.empty());

        assertEquals(List.of(), report.failed());
        assertTrue(NetNamespace.list().contains(foreignNs), "a namespace the lab did not make stays");
        assertTrue(Shell.run("ip", "-o", "link", "show").contains(foreignLink + "@"), "a link the lab did not make stays");
        assertTrue(inForeignNs.isAlive() && withTheArgument.isAlive(), "processes the lab did not start live on");
        assertTrue(report.leftAlone().contains("namespace " + foreignNs + ": not made by lab " + lab
                + " (its lo carries no alias vnettracer-lab:" + lab + ":...)"), report.leftAlone().toString());
        assertTrue(report.leftAlone().stream().anyMatch(l -> l.startsWith("link " + foreignLink + ": not made by lab")),
                report.leftAlone().toString());
        assertTrue(report.leftAlone().stream().anyMatch(l -> l.startsWith("process " + withTheArgument.pid() + " ")),
                report.leftAlone().toString());
        assertTrue(LabProcesses.startTime(hog).isEmpty(), "the lab's own hog is gone");
        assertFalse(NetNamespace.list().contains(lab + "-a"), "the lab's own namespaces are gone");
        assertFalse(Shell.run("ip", "-o", "link", "show").contains(lab + "-br"), "the lab's own bridge is gone");
        assertEquals(LabStatus.Health.ABSENT, labs.status(lab, Optional.empty()).health(), "foreign things are no leftovers");
    }

    @Test
    void downWithoutTheStateFileRemovesOnlyMarkedThings() throws Exception {
        Lab labs = new Lab(stateDir, line -> { });
        labs.up(topology());
        Files.delete(labs.store().fileOf(lab));
        String foreignNs = foreignNamespace(lab + "-c");
        String foreignLink = foreignVeth(lab + "-c-p", lab + "-c-q");

        LabDown.Report report = labs.down(lab, Optional.empty());

        assertEquals(List.of(), report.failed());
        assertTrue(NetNamespace.list().contains(foreignNs), report.toString());
        assertTrue(Shell.run("ip", "-o", "link", "show").contains(foreignLink + "@"), report.toString());
        List<String> ownLeft = LabLeftovers.of(lab).stream()
                .filter(l -> !l.equals("namespace " + foreignNs) && !l.startsWith("link " + lab + "-c-")).toList();
        assertEquals(List.of(), ownLeft, "the lab's own namespaces, links and processes are gone by their markers");
    }

    @Test
    void anUpRefusesToTakeOverANamespaceItDidNotMake() {
        String foreignNs = foreignNamespace(lab + "-a");
        Lab labs = new Lab(stateDir, line -> { });
        LabException e = assertThrows(LabException.class, () -> labs.up(topology()));
        assertTrue(e.getMessage().startsWith("namespace " + foreignNs + " exists but lab " + lab + " did not make it"),
                e.getMessage());
        labs.down(lab, Optional.empty());
        assertTrue(NetNamespace.list().contains(foreignNs), "and its down leaves it too");
    }

    @Test
    void aStateFileOthersCouldWriteIsRefusedAndNothingItNamesIsTouched() throws Exception {
        String victimNs = foreignNamespace(lab + "-victim");
        Process victim = start(List.of("sleep", "300"));
        String json = plantedState(victimNs, victim.pid());
        Path file = stateDir.resolve("lab-" + lab + ".json");
        Lab labs = new Lab(stateDir, line -> { });

        Files.writeString(file, json);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-rw-rw-"));
        assertRefused(labs, "the state file " + file + " is writable by others (mode rw-rw-rw-)");

        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        Shell.run("chown", "65534", file.toString());
        assertRefused(labs, "the state file " + file + " belongs to user ");

        Files.delete(file);
        Path elsewhere = Files.createTempFile("hl-planted", ".json");
        try {
            Files.writeString(elsewhere, json);
            Files.createSymbolicLink(file, elsewhere);
            assertRefused(labs, "the state file " + file + " is a symbolic link");
        } finally {
            Files.delete(file);
            Files.delete(elsewhere);
        }

        Files.writeString(file, json);
        Files.setPosixFilePermissions(stateDir, PosixFilePermissions.fromString("rwxrwxrwx"));
        try {
            assertRefused(labs, "the state directory " + stateDir + " is writable by others");
        } finally {
            Files.setPosixFilePermissions(stateDir, PosixFilePermissions.fromString("rwx------"));
        }
        assertTrue(NetNamespace.list().contains(victimNs) && victim.isAlive(), "nothing the planted files name was touched");
    }

    @Test
    void aSafeStateFileNamingForeignThingsStillTouchesNothingUnmarked() throws Exception {
        String victimNs = foreignNamespace(lab + "-victim");
        Process victim = start(List.of("sleep", "300"));
        Files.writeString(stateDir.resolve("lab-" + lab + ".json"), plantedState(victimNs, victim.pid()));

        LabDown.Report report = new Lab(stateDir, line -> { }).down(lab, Optional.empty());

        assertTrue(NetNamespace.list().contains(victimNs) && victim.isAlive(), report.toString());
        assertTrue(report.leftAlone().contains("namespace " + victimNs + ": not made by lab " + lab
                + " (its lo carries no alias vnettracer-lab:" + lab + ":...), although the state file names it"), report.toString());
        assertTrue(report.leftAlone().stream().anyMatch(l -> l.startsWith("process " + victim.pid() + " (hog, recorded)")),
                report.toString());
        assertTrue(report.leftAlone().contains("setting kernel.core_pattern: the state file names it, but the lab changes only "
                + new java.util.TreeSet<>(Sysctl.CHANGED_BY_LABS)), report.toString());
    }

    private void assertRefused(Lab labs, String message) {
        for (Consumer<Lab> use : List.<Consumer<Lab>>of(l -> l.down(lab, Optional.empty()), l -> l.status(lab, Optional.empty()),
                l -> l.up(topology()))) {
            UnsafeStateException e = assertThrows(UnsafeStateException.class, () -> use.accept(labs));
            assertTrue(e.getMessage().startsWith(message), e.getMessage());
        }
    }

    /**
     * A state file of lab {@code lab} that names a namespace, a live process and a setting the lab
     * never made (with its value now, so that code which did put it back would change nothing).
     */
    private String plantedState(String namespace, long pid) {
        long start = LabProcesses.startTime(pid).orElseThrow();
        String corePattern = Sysctl.read("kernel.core_pattern").replace("\\", "\\\\").replace("\"", "\\\"");
        return "{\"version\":1,\"name\":\"" + lab + "\",\"namespaces\":[\"" + namespace + "\"],"
                + "\"processes\":[{\"name\":\"hog\",\"pid\":" + pid + ",\"startTime\":" + start + ",\"cpu\":0}],"
                + "\"savedSysctls\":{\"kernel.core_pattern\":\"" + corePattern + "\"}}";
    }

    private String foreignNamespace(String name) {
        Shell.run("ip", "netns", "add", name);
        foreignNamespaces.add(name);
        return name;
    }

    private String foreignVeth(String name, String peer) {
        Shell.run("ip", "link", "add", name, "type", "veth", "peer", "name", peer);
        foreignLinks.add(name);
        return name;
    }

    private Process start(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectErrorStream(true).start();
        started.add(p);
        Thread.sleep(50);
        assertTrue(p.isAlive(), String.join(" ", command));
        return p;
    }
}
