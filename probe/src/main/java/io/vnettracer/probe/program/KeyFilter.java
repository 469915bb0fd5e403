package io.vnettracer.probe.program;

import io.vnettracer.bpf.asm.Assembler;
import io.vnettracer.probe.filter.Filter;
import io.vnettracer.probe.filter.FilterCompiler;

/**
 * Code that decides, from the packet key on the stack, whether a probe goes on with a packet:
 * it falls through on a match and jumps to {@code noMatch} otherwise.
 */
@FunctionalInterface
public interface KeyFilter {
    /** Matches every packet: emits nothing. */
    KeyFilter ALL = (a, keyOffset, linkHeaderLength, noMatch) -> { };

    /**
     * @param linkHeaderLength bytes of link header the probe's packets carry before the IP header
     *        (14 with Ethernet, 0 from the IP header on), counted in the filter's {@code len}
     */
    void emit(Assembler a, int keyOffset, int linkHeaderLength, String noMatch);

    /**
     * Parses and checks a filter expression now (a malformed one throws with its column) and
     * returns the code for it. A blank expression matches everything.
     */
    static KeyFilter of(String expression) {
        if (expression == null || expression.isBlank()) {
            return ALL;
        }
        Filter filter = Filter.parse(expression);
        return (a, keyOffset, linkHeaderLength, noMatch) -> {
            String prefix = "filter" + a.position();
            String match = prefix + "_matched";
            filter.emit(a, new FilterCompiler(keyOffset, linkHeaderLength, prefix), match, noMatch);
            a.label(match);
        };
    }
}
