package io.vnettracer.remote.agent;

import io.vnettracer.probe.filter.FilterException;
import io.vnettracer.probe.script.ProbeDefinition;
import io.vnettracer.probe.script.ScriptParser;
import io.vnettracer.probe.script.TracingScript;
import io.vnettracer.session.FilterCompiler;
import io.vnettracer.session.TraceSession;

/**
 * Everything checked before a pushed script loads anything: syntax and probe specs, every filter,
 * every namespace and interface. Messages are those of {@code vnettracer trace}.
 */
final class ScriptCheck {
    private ScriptCheck() {}

    /** The parsed script; throws IllegalArgumentException with the user's message for a bad one. */
    static TracingScript check(String text, String source) {
        TracingScript script = ScriptParser.parse(text, source);
        if (script.probes().isEmpty()) {
            throw new IllegalArgumentException(source + ": nothing to trace: the script has no probes");
        }
        checkFilters(script);
        try {
            TraceSession.validate(script, FilterCompiler.PCAP);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return script;
    }

    static void checkFilters(TracingScript script) {
        for (ProbeDefinition p : script.probes()) {
            try {
                FilterCompiler.PCAP.compile(script.filterOf(p));
            } catch (FilterException e) {
                throw new IllegalArgumentException("filter of probe '" + p.name() + "': " + e.render(), e);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("filter of probe '" + p.name() + "': " + e.getMessage(), e);
            }
        }
    }
}
