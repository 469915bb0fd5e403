package io.vnettracer.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

@Command(name = "vnettracer",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Traces packets along their path through virtual networks with eBPF probes.",
        subcommands = {HelpCommand.class, DemoCommand.class, DoctorCommand.class, TraceCommand.class, DiagnoseCommand.class, CtlCommand.class,
                LabCommand.class, ReportCommand.class, SqlCommand.class, StoreCommand.class, CollectKafkaCommand.class, AgentCommand.class, CollectCommand.class,
                CertsCommand.class})
public final class Main implements Callable<Integer> {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    /** picocli's own code for a usage error; missing privileges share it (the user must rerun). */
    public static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;

    @Spec
    private CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with vNetTracer's error handling; tests run it with their own writers. */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main()).setExecutionExceptionHandler(Main::reportFailure);
        withHelp(cl);
        return cl;
    }

    /**
     * Every command and subcommand answers --help and --version. Commands that are methods ('ctl list',
     * 'lab up') declare it in their annotation: added here, the options would become arguments their
     * method does not take.
     */
    private static void withHelp(CommandLine cl) {
        if (!(cl.getCommandSpec().userObject() instanceof java.lang.reflect.Method)) {
            cl.getCommandSpec().mixinStandardHelpOptions(true);
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            withHelp(sub);
        }
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing a command, e.g. 'vnettracer doctor'");
    }

    private static int reportFailure(Exception e, CommandLine cmd, ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (e instanceof MissingPrivilegesException) {
            err.println(e.getMessage());
            err.flush();
            return EXIT_USAGE;
        }
        if (e instanceof BadInputException) {
            err.println(cmd.getCommandSpec().qualifiedName() + ": " + e.getMessage());
            if (System.getenv("VNETTRACER_DEBUG") != null) {
                e.printStackTrace(err);
            }
            err.flush();
            return EXIT_USAGE;
        }
        StringBuilder message = new StringBuilder(cmd.getCommandSpec().qualifiedName())
                .append(": ").append(e.getMessage());
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            message.append("\n  caused by ").append(cause.getClass().getSimpleName())
                    .append(": ").append(cause.getMessage());
        }
        err.println(message);
        if (System.getenv("VNETTRACER_DEBUG") != null) {
            e.printStackTrace(err);
        }
        err.flush();
        return EXIT_FAILURE;
    }
}
