package io.vnettracer.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One in-process run of the command line, with what it printed on each stream. */
record CommandLineRun(int exitCode, String out, String err) {
    static CommandLineRun of(String... args) {
        return of(Main.commandLine(), args);
    }

    static CommandLineRun of(CommandLine cmd, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int code = cmd.execute(args);
        return new CommandLineRun(code, out.toString(), err.toString());
    }
}
