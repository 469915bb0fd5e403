package io.vnettracer.cli;

import io.vnettracer.bpf.features.Capability;
import io.vnettracer.bpf.features.Privileges;
import io.vnettracer.lab.Lab;
import io.vnettracer.lab.LabDown;
import io.vnettracer.lab.LabException;
import io.vnettracer.lab.LabStatus;
import io.vnettracer.lab.StateStore;
import io.vnettracer.lab.Topology;
import io.vnettracer.lab.TopologyException;
import io.vnettracer.lab.TopologyFile;
import io.vnettracer.lab.UnsafeStateException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Builds, shows and removes the virtual networks of docs/LAB.md. */
@Command(name = "lab",
        mixinStandardHelpOptions = true,
        description = {
            "Builds a virtual network to trace from a topology file (docs/LAB.md): namespaces as VMs,",
            "a bridge as the switch, veth vifs, shaping, random loss and CPU contention."
        })
final class LabCommand implements Callable<Integer> {
    /** {@code status}: the lab is partly there (or leftovers carry its marker). */
    static final int EXIT_PARTIAL = 1;
    /** {@code status}: nothing of the lab exists. */
    static final int EXIT_ABSENT = 3;
    /** {@code down}: the lab is gone, but things it could not prove it made (no marker) were left alone. */
    static final int EXIT_LEFT_ALONE = 4;
    private static final List<Capability> NEEDED = List.of(Capability.CAP_NET_ADMIN, Capability.CAP_SYS_ADMIN);

    @Option(names = "--state-dir", paramLabel = "DIR", description = "Where labs record what they made (default: ${DEFAULT-VALUE}).")
    private Path stateDir = StateStore.DEFAULT_DIR;

    @Option(names = {"-v", "--verbose"}, description = "Print every command the lab runs.")
    private boolean verbose;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing a lab command: up, down or status");
    }

    @Command(name = "up", mixinStandardHelpOptions = true, description = {"Builds the lab FILE describes, or brings it back to FILE if it exists (idempotent).",
        "Exits 0 when the lab is up, 1 if building failed (run 'lab down FILE' to remove what was made)."})
    int up(@Parameters(paramLabel = "FILE", description = "The topology file (YAML).") Path file) {
        Topology topology = read(file);
        requirePrivileges("lab up");
        Lab lab = lab();
        try {
            lab.up(topology);
        } catch (UnsafeStateException e) {
            throw new BadInputException(e.getMessage(), e);
        } catch (LabException e) {
            throw new LabException("building lab " + topology.name() + " failed: " + e.getMessage()
                    + "\n  what was made is recorded in " + lab.store().fileOf(topology.name())
                    + "; remove it with 'vnettracer lab down " + file + "'");
        }
        LabStatus status = lab.status(topology.name(), Optional.of(topology));
        PrintWriter out = spec.commandLine().getOut();
        printStatus(out, status, lab);
        out.flush();
        return status.health() == LabStatus.Health.UP ? Main.EXIT_OK : Main.EXIT_FAILURE;
    }

    @Command(name = "down", mixinStandardHelpOptions = true, description = {"Removes a lab: what its state file records and what carries its marker, nothing else.",
        "Exits 0 when nothing of it is left, 4 when it is gone but things it cannot prove it made were left alone,",
        "1 when something of it could not be removed, 2 for a state file or directory others could write."})
    int down(@Parameters(paramLabel = "FILE", arity = "0..1", description = "The topology file; names the lab.") Path file,
             @Option(names = "--name", paramLabel = "LAB", description = "The lab's name, instead of FILE.") String name) {
        Optional<Topology> topology = Optional.ofNullable(file).map(LabCommand::read);
        requirePrivileges("lab down");
        Lab lab = lab();
        String target = labName(lab, topology, name);
        LabDown.Report report = safely(() -> lab.down(target, topology));
        PrintWriter out = spec.commandLine().getOut();
        report.removed().forEach(r -> out.println("removed " + r));
        report.failed().forEach(f -> out.println("FAILED to remove " + f));
        report.leftAlone().forEach(l -> out.println("left alone: " + l));
        LabStatus after = lab.status(target, topology);
        if (after.health() != LabStatus.Health.ABSENT) {
            out.println("still there:");
            after.items().stream().filter(LabStatus.Item::ok).forEach(i -> out.println("  " + i.kind() + " " + i.name()));
            after.leftovers().forEach(l -> out.println("  " + l));
        } else {
            out.println("lab " + target + " is down");
        }
        out.flush();
        if (!report.failed().isEmpty() || after.health() != LabStatus.Health.ABSENT) {
            return Main.EXIT_FAILURE;
        }
        return report.leftAlone().isEmpty() ? Main.EXIT_OK : EXIT_LEFT_ALONE;
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = {"Shows what of a lab exists: vms, addresses, switch ports, shaping, loss, contention.",
        "Exits 0 if the lab is fully up, 1 if partly, 3 if absent."})
    int status(@Parameters(paramLabel = "FILE", arity = "0..1", description = "The topology file; names the lab.") Path file,
               @Option(names = "--name", paramLabel = "LAB", description = "The lab's name, instead of FILE.") String name) {
        Optional<Topology> topology = Optional.ofNullable(file).map(LabCommand::read);
        requirePrivileges("lab status");
        Lab lab = lab();
        if (topology.isEmpty() && name == null && safely(lab::labs).isEmpty()) {
            spec.commandLine().getOut().println("no lab has a state file in " + stateDir);
            spec.commandLine().getOut().flush();
            return EXIT_ABSENT;
        }
        LabStatus status = safely(() -> lab.status(labName(lab, topology, name), topology));
        PrintWriter out = spec.commandLine().getOut();
        printStatus(out, status, lab);
        out.flush();
        return switch (status.health()) {
            case UP -> Main.EXIT_OK;
            case PARTIAL -> EXIT_PARTIAL;
            case ABSENT -> EXIT_ABSENT;
        };
    }

    /** A state file or directory others could write is bad input: exit 2, nothing it names touched. */
    private static <T> T safely(java.util.function.Supplier<T> action) {
        try {
            return action.get();
        } catch (UnsafeStateException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    private Lab lab() {
        PrintWriter err = spec.commandLine().getErr();
        return new Lab(stateDir, verbose ? line -> {
            err.println("+ " + line);
            err.flush();
        } : line -> {});
    }

    private static Topology read(Path file) {
        try {
            return TopologyFile.read(file);
        } catch (TopologyException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    private String labName(Lab lab, Optional<Topology> topology, String name) {
        if (topology.isPresent()) {
            if (name != null && !name.equals(topology.get().name())) {
                throw new BadInputException("--name " + name + " differs from the name in the file, " + topology.get().name());
            }
            return topology.get().name();
        }
        if (name != null) {
            return name;
        }
        List<String> labs = safely(lab::labs);
        if (labs.size() == 1) {
            return labs.getFirst();
        }
        throw new BadInputException(labs.isEmpty()
                ? "no lab has a state file in " + stateDir + "; name the lab: give its FILE or --name LAB"
                : "several labs have a state file in " + stateDir + ": " + labs + "; give FILE or --name LAB");
    }

    private static void requirePrivileges(String command) {
        List<Capability> missing = Privileges.ofCurrentProcess().missing(NEEDED);
        if (!missing.isEmpty()) {
            throw new MissingPrivilegesException("vnettracer " + command
                    + " needs root (or CAP_NET_ADMIN and CAP_SYS_ADMIN): run it with sudo", missing);
        }
    }

    private static void printStatus(PrintWriter out, LabStatus status, Lab lab) {
        out.println("lab " + status.name() + ": " + status.health().name().toLowerCase(java.util.Locale.ROOT)
                + (status.hasStateFile() ? " (state " + lab.store().fileOf(status.name()) + ")" : " (no state file)"));
        if (!status.items().isEmpty()) {
            out.printf("%-8s %-10s %-26s %-4s %s%n", "VM", "KIND", "NAME", "OK", "DETAIL");
            for (LabStatus.Item i : status.items()) {
                out.printf("%-8s %-10s %-26s %-4s %s%n", i.vm(), i.kind(), i.name(), i.ok() ? "yes" : "NO", i.detail());
            }
        }
        if (!status.leftovers().isEmpty()) {
            out.println("not in the topology but made by the lab: " + String.join(", ", status.leftovers()));
        }
    }
}
