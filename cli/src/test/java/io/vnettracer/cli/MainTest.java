package io.vnettracer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.features.Capability;
import io.vnettracer.bpf.features.Privileges;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class MainTest {
    @Test
    void anUnknownOptionIsAUsageError() {
        CommandLineRun run = CommandLineRun.of("doctor", "--frobnicate");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().startsWith("Unknown option: '--frobnicate'"), run.err());
        assertTrue(run.err().contains("Usage: vnettracer doctor"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void anUnknownCommandIsAUsageError() {
        CommandLineRun run = CommandLineRun.of("frobnicate");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("'frobnicate'"), run.err());
        assertTrue(run.err().contains("Usage: vnettracer"), run.err());
    }

    @Test
    void noCommandIsAUsageError() {
        CommandLineRun run = CommandLineRun.of();
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("vnettracer doctor"), run.err());
    }

    @Test
    void versionNamesTheBuildTheJdkAndTheKernel() {
        CommandLineRun run = CommandLineRun.of("--version");
        assertEquals(0, run.exitCode());
        String first = run.out().lines().findFirst().orElseThrow();
        assertTrue(first.matches("vnettracer \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?"), first);
        assertTrue(run.out().contains("Linux " + System.getProperty("os.version")), run.out());
    }

    @Test
    void helpListsTheCommands() {
        CommandLineRun run = CommandLineRun.of("help");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().contains("doctor"), run.out());
        assertEquals(0, CommandLineRun.of("help", "doctor").exitCode());
    }

    @Command(name = "needs-kernel")
    static final class NeedsKernel implements Callable<Integer> {
        private final Privileges privileges;

        NeedsKernel(Privileges privileges) {
            this.privileges = privileges;
        }

        @Override
        public Integer call() {
            KernelPrivileges.require("needs-kernel", privileges);
            return 0;
        }
    }

    @Test
    void aKernelCommandWithoutPrivilegesSaysSoAndExitsTwo() {
        CommandLine cmd = Main.commandLine().addSubcommand(new NeedsKernel(new Privileges(1000, 0)));
        CommandLineRun run = CommandLineRun.of(cmd, "needs-kernel");
        assertEquals(2, run.exitCode());
        assertEquals("vnettracer needs-kernel needs root (or CAP_BPF, CAP_NET_ADMIN and CAP_PERFMON): "
                + "run it with sudo\n", run.err());
        assertEquals("", run.out());
    }

    @Test
    void theThreeCapabilitiesAreEnoughForAKernelCommand() {
        long bpfNetPerf = (1L << Capability.CAP_BPF.bit()) | (1L << Capability.CAP_NET_ADMIN.bit())
                | (1L << Capability.CAP_PERFMON.bit());
        CommandLine cmd = Main.commandLine().addSubcommand(new NeedsKernel(new Privileges(1000, bpfNetPerf)));
        assertEquals(0, CommandLineRun.of(cmd, "needs-kernel").exitCode());

        MissingPrivilegesException e = assertThrows(MissingPrivilegesException.class,
                () -> KernelPrivileges.require("trace", new Privileges(0, bpfNetPerf & ~(1L << Capability.CAP_BPF.bit()))));
        assertEquals(List.of(Capability.CAP_BPF), e.missing());
    }

    @Test
    void otherFailuresExitOneWithTheirCause() {
        @Command(name = "fails")
        final class Fails implements Callable<Integer> {
            @Override
            public Integer call() {
                throw new IllegalStateException("attaching probe", new RuntimeException("EPERM"));
            }
        }
        CommandLineRun run = CommandLineRun.of(Main.commandLine().addSubcommand(new Fails()), "fails");
        assertEquals(1, run.exitCode());
        assertTrue(run.err().startsWith("vnettracer fails: attaching probe\n  caused by RuntimeException: EPERM"),
                run.err());
        assertFalse(run.err().contains("\tat "), "no stack trace unless VNETTRACER_DEBUG is set");
    }
}
