package io.vnettracer.cli;

import io.vnettracer.store.StoreQuery;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** One SQL query on a store, read-only. Needs no privileges. */
@Command(name = "sql",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Runs one SQL query on a store written by 'vnettracer trace --store' or 'vnettracer store import'",
            "(tables and views: docs/STORE.md) and prints the result as an aligned table, CSV or JSON.",
            "The store is opened read-only. Example:",
            "  vnettracer sql --db t.duckdb \"SELECT * FROM segment_latency\"",
            "Exit codes: 0 ok, 2 no such store, not a store, or a query that fails."
        })
final class SqlCommand implements Callable<Integer> {
    @Option(names = "--db", paramLabel = "FILE", required = true, description = "The store (a DuckDB file).")
    private Path db;

    @ArgGroup(exclusive = true)
    private Format format = new Format();

    static final class Format {
        @Option(names = "--csv", description = "Comma-separated values with a header line (RFC 4180 quoting).")
        boolean csv;

        @Option(names = "--json", description = "A JSON array with one object per row.")
        boolean json;
    }

    @Parameters(paramLabel = "QUERY", description = "The SQL statement, e.g. \"SELECT * FROM flows\".")
    private String query;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        StoreQuery.Result result;
        try {
            result = StoreQuery.run(db, query);
        } catch (StoreQuery.QueryException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (format.csv) {
            out.print(SqlOutput.csv(result));
        } else if (format.json) {
            out.print(SqlOutput.json(result));
        } else {
            out.print(SqlOutput.table(result));
        }
        out.flush();
        return Main.EXIT_OK;
    }
}
