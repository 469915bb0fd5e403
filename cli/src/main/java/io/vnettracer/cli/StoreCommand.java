package io.vnettracer.cli;

import io.vnettracer.bpf.btf.Btf;
import io.vnettracer.sinks.output.OutputFile;
import io.vnettracer.store.StoreImport;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Stores that were not written by a trace. */
@Command(name = "store",
        mixinStandardHelpOptions = true,
        description = "Makes stores for 'vnettracer sql' (docs/STORE.md).",
        subcommands = {StoreCommand.Import.class})
final class StoreCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing a subcommand, e.g. 'vnettracer store import'");
    }

    @Command(name = "import",
            mixinStandardHelpOptions = true,
            sortOptions = false,
            description = {
                "Builds a store from a trace saved with 'trace --events FILE --json FILE': the events joined",
                "again into journeys, with the probes named as the summary names them.",
                "Exit codes: 0 ok, 1 the store could not be written completely, 2 a missing or malformed file."
            })
    static final class Import implements Callable<Integer> {
        @Option(names = "--events", paramLabel = "FILE", required = true, description = "The raw events file (trace --events).")
        private Path events;

        @Option(names = "--json", paramLabel = "FILE", required = true, description = "The JSON summary of the same trace (trace --json).")
        private Path json;

        @Option(names = "--db", paramLabel = "FILE", required = true, description = "The store to create (must not exist unless --force).")
        private Path db;

        @Option(names = "--force", description = "Replace the store if it exists.")
        private boolean force;

        @Spec
        private CommandSpec spec;

        @Override
        public Integer call() {
            StoreImport.Imported imported;
            try {
                imported = StoreImport.run(events, json, CheckedOutput.check(OutputFile.of("--db", db, force).regularOnly()),
                        dropReasonNames());
            } catch (IllegalArgumentException | UncheckedIOException e) {
                throw new BadInputException(e.getMessage(), e);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println("wrote " + db + ": " + imported.events() + " events, " + imported.journeys() + " journeys, "
                    + imported.summary().flows().size() + " flows");
            out.flush();
            return Main.EXIT_OK;
        }

        /** This kernel's names for drop reasons, when it has BTF; codes stay numbers otherwise. */
        private static IntFunction<String> dropReasonNames() {
            try {
                Map<Long, String> names = Btf.kernel().enumeration("skb_drop_reason").namesByValue();
                return code -> names.get((long) code);
            } catch (RuntimeException e) {
                return code -> null;
            }
        }
    }
}
