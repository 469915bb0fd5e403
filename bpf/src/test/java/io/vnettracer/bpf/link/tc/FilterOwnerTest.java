package io.vnettracer.bpf.link.tc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Owner names round-trip, and liveness uses pid, start time and pid namespace. */
class FilterOwnerTest {
    @Test
    void nameRoundTrips() {
        FilterOwner o = new FilterOwner(4242, 123456, 4026531836L, "dev-ingress-eth0");
        assertEquals("vnt-4242-123456-4026531836-dev-ingress-eth0", o.filterName());
        assertEquals(Optional.of(o), FilterOwner.parse(o.filterName()));
    }

    @Test
    void namesNotOursDoNotParse() {
        assertEquals(Optional.empty(), FilterOwner.parse(null));
        assertEquals(Optional.empty(), FilterOwner.parse("cilium-ingress"));
        assertEquals(Optional.empty(), FilterOwner.parse("vnt-12-x-3-probe"));
        assertEquals(Optional.empty(), FilterOwner.parse("vnt-12-34-56-"));
        assertEquals(Optional.empty(), FilterOwner.parse("vnt-12-34"));
    }

    @Test
    void startTimeIsCountedFromTheLastParenthesis() {
        // Field 2 (comm) may contain spaces and parentheses.
        String stat = "77 (a) b (c) S 1 77 77 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10";
        assertEquals(987654, FilterOwner.parseStartTime(stat));
    }

    @Test
    void thisProcessIsAlive() {
        FilterOwner me = FilterOwner.ofThisProcess("probe");
        assertEquals(ProcessHandle.current().pid(), me.pid());
        assertFalse(me.isGone());
    }

    @Test
    void anExitedProcessIsGoneAndAReusedPidIsToo() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        long pidns = FilterOwner.ownPidNamespace();
        assertTrue(new FilterOwner((int) p.pid(), 1, pidns, "probe").isGone());

        FilterOwner me = FilterOwner.ofThisProcess("probe");
        assertTrue(new FilterOwner(me.pid(), me.startTime() + 1, pidns, "probe").isGone(), "same pid, other start time");
    }

    @Test
    void ownersInAnotherPidNamespaceAreNeverJudged() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertFalse(new FilterOwner((int) p.pid(), 1, FilterOwner.ownPidNamespace() + 1, "probe").isGone());
    }

    @Test
    void refusesNamesTooLongForClsBpf() {
        FilterOwner o = new FilterOwner(1, 2, 3, "p".repeat(250));
        assertThrows(IllegalArgumentException.class, o::filterName);
    }
}
