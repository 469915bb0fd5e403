package io.vnettracer.cli.trace;

import io.vnettracer.probe.script.IdentityMode;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.probe.script.ScriptParser;
import io.vnettracer.probe.script.TracingScript;
import io.vnettracer.probe.spec.ProbeSpecParser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One tracing script from a script file and the command line: {@code --probe NAME=SPEC} adds
 * probes after the file's, {@code --filter} replaces its global filter, {@code --id} its identity
 * mode. Throws IllegalArgumentException (a {@link io.vnettracer.probe.script.ScriptException} for
 * the file) with a message for the user.
 */
public final class ScriptAssembly {
    private ScriptAssembly() {}

    /**
     * @param file     a script file, or null
     * @param probes   NAME=SPEC pairs
     * @param filter   the global filter, or null to keep the file's
     * @param identity the identity mode, or null to keep the file's
     */
    public static TracingScript assemble(Path file, List<String> probes, String filter, IdentityMode identity) {
        TracingScript base = file == null ? new TracingScript(List.of(), null, IdentityMode.FINGERPRINT) : ScriptParser.parse(file);
        List<ProbeDefinition> all = new ArrayList<>(base.probes());
        for (String p : probes) {
            ProbeDefinition def = probeOption(p);
            if (all.stream().anyMatch(d -> d.name().equals(def.name()))) {
                throw new IllegalArgumentException("--probe " + p + ": a probe named '" + def.name() + "' is already defined"
                        + (file == null ? "" : " (in " + file + " or an earlier --probe)"));
            }
            all.add(def);
        }
        if (all.isEmpty()) {
            throw new IllegalArgumentException("nothing to trace: give a --script with probes or at least one --probe NAME=SPEC");
        }
        return new TracingScript(all, filter != null ? filter : base.globalFilter(), identity != null ? identity : base.identity());
    }

    /** Parses a {@code NAME=SPEC} probe as given to {@code --probe} or {@code ctl add}. */
    public static ProbeDefinition probeOption(String option) {
        int eq = option.indexOf('=');
        if (eq < 0) {
            throw new IllegalArgumentException("'" + option + "' is not NAME=SPEC, e.g. rx=kernel:netif_receive_skb:eth0");
        }
        String name = option.substring(0, eq).strip();
        String problem = ScriptParser.nameProblem(name);
        if (problem != null) {
            throw new IllegalArgumentException("'" + option + "': " + problem);
        }
        return ProbeDefinition.recording(name, ProbeSpecParser.parse(option.substring(eq + 1)));
    }

    /** {@code tag} or {@code fingerprint}. */
    public static IdentityMode identity(String word) {
        return switch (word) {
            case "tag" -> IdentityMode.TAG;
            case "fingerprint" -> IdentityMode.FINGERPRINT;
            default -> throw new IllegalArgumentException("identity is 'tag' or 'fingerprint', not '" + word + "'");
        };
    }
}
