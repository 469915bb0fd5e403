package io.vnettracer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vnettracer.cli.control.ControlClient;
import io.vnettracer.cli.control.ControlProtocol;
import io.vnettracer.cli.control.RunDirectory;
import io.vnettracer.probe.script.ScriptParser;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Changes a running trace from another terminal, through its control socket (docs/CONTROL.md). */
@Command(name = "ctl",
        mixinStandardHelpOptions = true,
        description = {
            "Lists or changes the probes of a running 'vnettracer trace' while it traces.",
            "Prints the time each change took inside the trace. Exit codes: 0 ok, 1 no answer,",
            "2 the trace refused the change or no such trace."
        })
final class CtlCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--pid", paramLabel = "PID", description = "The trace's process id; needed when several traces run.")
    private Long pid;

    @Option(names = "--run-dir", hidden = true, description = "Where traces listen (tests).")
    private Path runDir = RunDirectory.DEFAULT;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing a ctl command: list, add, remove, filter or sample");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the probes with their filter, sampling, events and losses.")
    int list() {
        JsonNode reply = send(request("list"));
        PrintWriter out = spec.commandLine().getOut();
        out.printf("%-3s %-16s %-36s %-8s %10s %8s %10s  %s%n", "ID", "NAME", "SPEC", "SAMPLE", "EVENTS", "LOST", "PACKETS", "FILTER");
        for (JsonNode p : reply.get(ControlProtocol.PROBES)) {
            out.printf("%-3d %-16s %-36s %-8s %10d %8d %10d  %s%n", p.get("id").asInt(), p.get("name").asText(),
                    p.get("spec").asText(), "1/" + p.get("sample_every").asInt(), p.get("events").asLong(),
                    p.get("lost").asLong(), p.get("packets").asLong(), p.get("filter").asText());
        }
        return done("listed", reply);
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Attaches a probe to the running trace.")
    int add(@Parameters(paramLabel = "NAME=SPEC", description = "e.g. tx=kernel:net_dev_queue:vm0/eth0") String probe,
            @Option(names = "--filter", paramLabel = "EXPR", description = "The probe's own filter.") String filter) {
        int eq = probe.indexOf('=');
        if (eq < 0) {
            throw new BadInputException("'" + probe + "' is not NAME=SPEC, e.g. rx=kernel:netif_receive_skb:eth0");
        }
        ObjectNode r = request("add").put(ControlProtocol.NAME, probe.substring(0, eq)).put(ControlProtocol.SPEC, probe.substring(eq + 1));
        if (filter != null) {
            r.put(ControlProtocol.FILTER, filter);
        }
        return done("added " + probe.substring(0, eq), send(r));
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = {"Removes a probe; the others go on untouched. It stops recording at once;",
            "its program is unhooked in the background (the kernel waits for an RCU grace period)."})
    int remove(@Parameters(paramLabel = "NAME") String name) {
        return done("removed " + name + " (stopped recording; unhooking in the background)",
                send(request("remove").put(ControlProtocol.NAME, name)));
    }

    @Command(name = "filter", mixinStandardHelpOptions = true, description = "Gives a probe a new filter (its program is swapped atomically).")
    int filter(@Parameters(paramLabel = "NAME") String name, @Parameters(paramLabel = "EXPR") String expression) {
        return done("filter of " + name + " set", send(request("filter").put(ControlProtocol.NAME, name)
                .put(ControlProtocol.EXPRESSION, expression)));
    }

    @Command(name = "sample", mixinStandardHelpOptions = true, description = "Records one packet in N at a probe (a map update, no reload).")
    int sample(@Parameters(paramLabel = "NAME") String name, @Parameters(paramLabel = "N", description = "N or 1/N") String rate) {
        int every;
        try {
            every = ScriptParser.parseSampleEvery(rate);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        return done(name + " records 1 in " + every, send(request("sample").put(ControlProtocol.NAME, name)
                .put(ControlProtocol.EVERY, every)));
    }

    private static ObjectNode request(String op) {
        return JSON.createObjectNode().put(ControlProtocol.OP, op);
    }

    private JsonNode send(ObjectNode request) {
        Path socket;
        try {
            socket = new RunDirectory(runDir).choose(pid);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(e.getMessage(), e);
        }
        JsonNode reply = ControlClient.send(socket, request);
        if (!reply.path(ControlProtocol.OK).asBoolean(false)) {
            throw new BadInputException(reply.path(ControlProtocol.ERROR).asText("the trace refused without a reason")
                    + " (after " + reply.path(ControlProtocol.MICROS).asLong() + " us)");
        }
        return reply;
    }

    private int done(String what, JsonNode reply) {
        PrintWriter out = spec.commandLine().getOut();
        out.println("ok: " + what + " in " + reply.path(ControlProtocol.MICROS).asLong() + " us");
        out.flush();
        return Main.EXIT_OK;
    }
}
