package io.vnettracer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.netns.NetNamespace;
import io.vnettracer.bpf.testing.Root;
import io.vnettracer.bpf.testing.Shell;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vnettracer lab up|status|down} on the real kernel, including a down after an up killed midway. */
class LabCommandTest {
    private static final String THREE_VMS = """
            name: vlabc
            vms:
              - {name: vm0, address: 10.213.120.30/24}
              - {name: vm1, address: 10.213.120.31/24, loss: {probability: 0.2}}
              - {name: vm2, address: 10.213.120.32/24, shaping: {rate: 10mbit}}
            contention:
              - {name: hog, cpu: 1}
            """;

    @TempDir
    Path dir;

    @Test
    void upStatusDown() throws Exception {
        Root.assume();
        Path file = dir.resolve("vlabc.yaml");
        Files.writeString(file, THREE_VMS);
        String stateDir = dir.resolve("state").toString();
        try {
            CommandLineRun up = CommandLineRun.of("lab", "--state-dir", stateDir, "up", file.toString());
            assertEquals(0, up.exitCode(), up.out() + up.err());
            assertTrue(up.out().contains("lab vlabc: up"), up.out());
            assertTrue(up.out().matches("(?s).*vm2 +shaping +vlabc-vm2-p +yes +tbf .*rate 10Mbit.*"), up.out());

            CommandLineRun status = CommandLineRun.of("lab", "--state-dir", stateDir, "status");
            assertEquals(0, status.exitCode(), status.out() + status.err());
            assertTrue(status.out().matches("(?s).*vm1 +loss +VNT-LAB-LOSS +yes .*--probability 0.2.*"), status.out());
            assertTrue(status.out().matches("(?s).*vm0 +vif +eth0 +yes +10.213.120.30/24 up.*"), status.out());

            CommandLineRun again = CommandLineRun.of("lab", "--state-dir", stateDir, "up", file.toString());
            assertEquals(0, again.exitCode(), again.out() + again.err());
            assertEquals(1, leftovers("vlabc").stream().filter(l -> l.startsWith("process")).count(),
                    "one contention process after two ups");

            CommandLineRun down = CommandLineRun.of("lab", "--state-dir", stateDir, "down", file.toString());
            assertEquals(0, down.exitCode(), down.out() + down.err());
            assertTrue(down.out().contains("lab vlabc is down"), down.out());
            assertEquals(List.of(), leftovers("vlabc"));

            CommandLineRun absent = CommandLineRun.of("lab", "--state-dir", stateDir, "status", file.toString());
            assertEquals(LabCommand.EXIT_ABSENT, absent.exitCode(), absent.out() + absent.err());
        } finally {
            CommandLineRun.of("lab", "--state-dir", stateDir, "down", file.toString());
        }
    }

    @Test
    void downAfterAnUpKilledMidwayLeavesNothing() throws Exception {
        Root.assume();
        StringBuilder yaml = new StringBuilder("name: vlabk\ncontention:\n  - {name: hog, cpu: 0}\nvms:\n");
        for (int i = 0; i < 8; i++) {
            yaml.append("  - {name: vm").append(i).append(", address: 10.213.120.").append(40 + i)
                    .append("/24, loss: {probability: 0.1}, shaping: {rate: 10mbit}}\n");
        }
        Path file = dir.resolve("vlabk.yaml");
        Files.writeString(file, yaml);
        String stateDir = dir.resolve("state").toString();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process up = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "lab", "--state-dir", stateDir, "up", file.toString()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectErrorStream(true)
                .start();
        try {
            Path midway = Path.of("/var/run/netns/vlabk-vm2");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!Files.exists(midway) && up.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(2);
            }
            up.destroyForcibly(); // SIGKILL
            assertTrue(up.waitFor(10, TimeUnit.SECONDS));
            assertTrue(Files.exists(midway), "the up was killed after vm2's namespace appeared");
            assertTrue(!NetNamespace.list().contains("vlabk-vm7"), "and before the last vm's");

            CommandLineRun partial = CommandLineRun.of("lab", "--state-dir", stateDir, "status", file.toString());
            assertEquals(LabCommand.EXIT_PARTIAL, partial.exitCode(), partial.out() + partial.err());

            CommandLineRun down = CommandLineRun.of("lab", "--state-dir", stateDir, "down", file.toString());
            assertEquals(0, down.exitCode(), down.out() + down.err());
            assertEquals(List.of(), leftovers("vlabk"));
        } finally {
            up.destroyForcibly();
            CommandLineRun.of("lab", "--state-dir", stateDir, "down", file.toString());
        }
    }

    @Test
    void aMalformedFileIsBadInputNamedByField() throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "name: vlabx\nvms:\n  - {name: vm0, address: 10.213.120.300/24}\n");
        CommandLineRun run = CommandLineRun.of("lab", "--state-dir", dir.toString(), "up", file.toString());
        assertEquals(2, run.exitCode());
        assertEquals("vnettracer lab up: " + file + ": vms[0].address: '10.213.120.300/24' is not an IPv4 address"
                + " with a prefix length, e.g. 10.0.0.1/24\n", run.err());
        assertEquals(List.of(), leftovers("vlabx"), "nothing was made");
    }

    @Test
    void aFailedUpSaysWhatFailedAndHowToCleanUp() throws Exception {
        Root.assume();
        Path file = dir.resolve("vlabf.yaml");
        Files.writeString(file, "name: vlabf\nvms:\n  - {name: vm0, address: 10.213.120.50/24, shaping: {rate: 10parsecs}}\n");
        try {
            CommandLineRun run = CommandLineRun.of("lab", "--state-dir", dir.toString(), "up", file.toString());
            assertEquals(1, run.exitCode(), run.out() + run.err());
            assertTrue(run.err().startsWith("vnettracer lab up: building lab vlabf failed: shaping vlabf-vm0-p (vm vm0):"
                    + " 'tc -n vlabf-sw qdisc replace dev vlabf-vm0-p root handle 1: tbf rate 10parsecs"), run.err());
            assertTrue(run.err().contains("; remove it with 'vnettracer lab down " + file + "'\n"), run.err());
            assertEquals(LabCommand.EXIT_PARTIAL, CommandLineRun.of("lab", "--state-dir", dir.toString(), "status").exitCode());
            assertEquals(0, CommandLineRun.of("lab", "--state-dir", dir.toString(), "down").exitCode());
            assertEquals(List.of(), leftovers("vlabf"));
        } finally {
            CommandLineRun.of("lab", "--state-dir", dir.toString(), "down", file.toString());
        }
    }

    @Test
    void downWithoutAnyLabToNameIsBadInput() {
        Root.assume();
        CommandLineRun run = CommandLineRun.of("lab", "--state-dir", dir.toString(), "down");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("no lab has a state file in " + dir + "; name the lab: give its FILE or --name LAB"), run.err());
        assertEquals(LabCommand.EXIT_ABSENT, CommandLineRun.of("lab", "--state-dir", dir.toString(), "status").exitCode());
    }

    @Test
    void downLeavesAloneANamespaceThatOnlyCarriesTheLabsNameAndSaysSo() throws Exception {
        Root.assume();
        String lab = "hl" + Integer.toString(java.util.concurrent.ThreadLocalRandom.current().nextInt(1 << 25), 36);
        Path file = dir.resolve(lab + ".yaml");
        Files.writeString(file, "name: " + lab + "\nvms:\n  - {name: a, address: 10.213.121.20/24}\n");
        String stateDir = dir.resolve("state").toString();
        String foreign = lab + "-foreign";
        try {
            assertEquals(0, CommandLineRun.of("lab", "--state-dir", stateDir, "up", file.toString()).exitCode());
            Shell.run("ip", "netns", "add", foreign);
            CommandLineRun down = CommandLineRun.of("lab", "--state-dir", stateDir, "down", "--name", lab);
            assertEquals(LabCommand.EXIT_LEFT_ALONE, down.exitCode(), down.out() + down.err());
            assertTrue(down.out().contains("left alone: namespace " + foreign + ": not made by lab " + lab), down.out());
            assertTrue(down.out().contains("lab " + lab + " is down"), down.out());
            assertTrue(NetNamespace.list().contains(foreign), "the foreign namespace stays");
            assertEquals(List.of("namespace " + foreign), leftovers(lab));
        } finally {
            Shell.quiet("ip", "netns", "del", foreign);
            CommandLineRun.of("lab", "--state-dir", stateDir, "down", file.toString());
        }
    }

    @Test
    void aStateFileOthersCanWriteIsBadInputAndNothingItNamesIsKilled() throws Exception {
        Root.assume();
        String lab = "hl" + Integer.toString(java.util.concurrent.ThreadLocalRandom.current().nextInt(1 << 25), 36);
        Path stateDir = Files.createDirectory(dir.resolve("state"),
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
        Process victim = new ProcessBuilder("sleep", "300").start();
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(victim.pid()), "stat"));
            String start = stat.substring(stat.lastIndexOf(')') + 2).split(" ")[19];
            Path state = stateDir.resolve("lab-" + lab + ".json");
            Files.writeString(state, "{\"version\":1,\"name\":\"" + lab + "\",\"processes\":[{\"name\":\"hog\",\"pid\":"
                    + victim.pid() + ",\"startTime\":" + start + ",\"cpu\":0}]}");
            Files.setPosixFilePermissions(state, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
            CommandLineRun down = CommandLineRun.of("lab", "--state-dir", stateDir.toString(), "down", "--name", lab);
            assertEquals(2, down.exitCode(), down.out() + down.err());
            assertTrue(down.err().startsWith("vnettracer lab down: the state file " + state
                    + " is writable by others (mode rw-rw-rw-); the lab acts on nothing it names"), down.err());
            Thread.sleep(100);
            assertTrue(victim.isAlive(), "the process the planted file names lives");
        } finally {
            victim.destroyForcibly();
        }
    }

    /** Namespaces, root-namespace links and marked processes of lab {@code lab}, found with the host's tools. */
    private static List<String> leftovers(String lab) {
        List<String> found = new ArrayList<>();
        NetNamespace.list().stream().filter(ns -> ns.startsWith(lab + "-")).forEach(ns -> found.add("namespace " + ns));
        Shell.run("ip", "-o", "link", "show").lines()
                .map(l -> l.split(": ")[1].split("@")[0])
                .filter(name -> name.startsWith(lab + "-"))
                .forEach(name -> found.add("link " + name));
        Shell.run("ps", "-eo", "pid=,args=").lines()
                .filter(l -> l.contains("vnettracer-lab-" + lab + "-"))
                .forEach(l -> found.add("process " + l.strip()));
        return found;
    }
}
