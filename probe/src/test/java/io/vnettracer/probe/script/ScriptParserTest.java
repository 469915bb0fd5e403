package io.vnettracer.probe.script;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.probe.spec.ProbeSpec;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptParserTest {
    private static final String EXAMPLE = """
            # the path of one UDP flow
            identity tag                      # or fingerprint (default)
            filter udp and port 11111         # global filter
            probe app_tx   sock:vm0:send
            probe vm0_out  dev:vm0/eth0:egress   actions record,count   sample 1/10
            \tprobe switch   dev:br0:egress      filter "udp and dst port 11111"
            probe lost drops:vm0 sample 5 actions count
            """;

    private static ScriptException error(String text) {
        return assertThrows(ScriptException.class, () -> ScriptParser.parse(text, "t.vnt"));
    }

    private static void assertError(String text, int line, int column, String fragment) {
        ScriptException e = error(text);
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(column, e.column(), e.getMessage());
        assertTrue(e.problem().contains(fragment), e.getMessage());
        assertTrue(e.getMessage().startsWith("t.vnt:" + line + ":" + column + ": "), e.getMessage());
    }

    @Test
    void theDocumentedExampleReadsAsWritten() {
        TracingScript s = ScriptParser.parse(EXAMPLE, "t.vnt");
        assertEquals(IdentityMode.TAG, s.identity());
        assertEquals("udp and port 11111", s.globalFilter());
        assertEquals(4, s.probes().size());

        ProbeDefinition app = s.probes().get(0);
        assertEquals("app_tx", app.name());
        assertEquals(new ProbeSpec.Socket("vm0", ProbeSpec.SocketPoint.SEND), app.spec());
        assertNull(app.filter());
        assertEquals(EnumSet.of(Action.RECORD, Action.COUNT), app.actions());
        assertEquals(1, app.sampleEvery());
        assertEquals("udp and port 11111", s.filterOf(app));

        ProbeDefinition out = s.probes().get(1);
        assertEquals(new ProbeSpec.Device("vm0", "eth0", ProbeSpec.Direction.EGRESS), out.spec());
        assertEquals(10, out.sampleEvery());

        ProbeDefinition sw = s.probes().get(2);
        assertEquals("udp and dst port 11111", sw.filter());
        assertEquals("udp and dst port 11111", s.filterOf(sw));

        ProbeDefinition lost = s.probes().get(3);
        assertEquals(new ProbeSpec.Drops("vm0"), lost.spec());
        assertEquals(5, lost.sampleEvery());
        assertEquals(EnumSet.of(Action.COUNT), lost.actions());
    }

    @Test
    void defaultsAreFingerprintAndNoFilter() {
        TracingScript s = ScriptParser.parse("probe rx kernel:netif_receive_skb\n", "t.vnt");
        assertEquals(IdentityMode.FINGERPRINT, s.identity());
        assertNull(s.globalFilter());
        assertEquals("", s.filterOf(s.probes().getFirst()));
    }

    @Test
    void quotedFiltersKeepHashesAndEscapedQuotes() {
        TracingScript s = ScriptParser.parse("filter \"a \\\"b\\\" # c\"  # comment\nprobe p drops filter \"x\\\\y\"", "t.vnt");
        assertEquals("a \"b\" # c", s.globalFilter());
        assertEquals("x\\y", s.probes().getFirst().filter());
    }

    @Test
    void emptyAndCommentOnlyScriptsHaveNoProbes() {
        assertEquals(0, ScriptParser.parse("\n  # nothing\n\t\n", "t.vnt").probes().size());
    }

    @Test
    void unknownKeyword() {
        assertError("identity tag\n  prob x drops\n", 2, 3, "unknown keyword 'prob'; expected 'identity', 'filter' or 'probe'");
    }

    @Test
    void unknownIdentityMode() {
        assertError("identity tags", 1, 10, "identity is 'tag' or 'fingerprint', not 'tags'");
    }

    @Test
    void missingIdentityMode() {
        assertError("identity   # none", 1, 12, "expected 'tag' or 'fingerprint' but the line ends");
    }

    @Test
    void secondIdentity() {
        assertError("identity tag\nidentity fingerprint", 2, 1, "a second 'identity' (the first is on line 1)");
    }

    @Test
    void trailingWordsAfterIdentity() {
        assertError("identity tag please", 1, 14, "unexpected 'please' after the identity mode");
    }

    @Test
    void secondGlobalFilter() {
        assertError("filter udp\n\nfilter tcp", 3, 1, "a second global 'filter' (the first is on line 1)");
    }

    @Test
    void emptyGlobalFilter() {
        assertError("filter   ", 1, 10, "expected a filter expression but the line ends");
        assertError("filter \"  \"", 1, 8, "not an empty string");
    }

    @Test
    void unterminatedQuote() {
        assertError("probe p drops filter \"udp", 1, 22, "no closing '\"' for the quote opened here");
    }

    @Test
    void wordsAfterAQuotedFilter() {
        assertError("filter \"udp\" tcp", 1, 14, "unexpected 'tcp' after the quoted filter");
        assertError("filter \"udp\"tcp", 1, 13, "expected a blank after the closing '\"'");
    }

    @Test
    void probeWithoutName() {
        assertError("probe", 1, 6, "expected a probe name but the line ends");
    }

    @Test
    void probeWithoutSpec() {
        assertError("probe rx  ", 1, 11, "expected a probe spec after the name");
    }

    @Test
    void badProbeName() {
        assertError("probe a=b drops", 1, 7, "probe name 'a=b' may only have");
        assertError("probe " + "n".repeat(65) + " drops", 1, 7, "longer than 64 characters");
    }

    @Test
    void duplicateProbeNames() {
        assertError("probe rx drops\n# again\nprobe rx kernel:net_dev_queue", 3, 7,
                "a second probe named 'rx' (the first is on line 1)");
    }

    @Test
    void badProbeSpecGivesTheSpecParsersMessageAtTheSpec() {
        ScriptException e = error("probe rx   nic:eth0");
        assertEquals(12, e.column());
        assertTrue(e.problem().startsWith("bad probe 'nic:eth0': unknown probe kind 'nic'"), e.getMessage());
        assertError("probe rx dev:eth0:sideways", 1, 10, "direction must be 'ingress' or 'egress'");
        assertError("probe rx kernel:sched_switch", 1, 10, "does not carry a packet");
    }

    @Test
    void badSampleRates() {
        assertError("probe p drops sample 1/0", 1, 22, "records nothing");
        assertError("probe p drops sample 0", 1, 22, "records nothing");
        assertError("probe p drops sample -3", 1, 22, "records nothing");
        assertError("probe p drops sample 2/10", 1, 22, "is not 1/N");
        assertError("probe p drops sample 1/ten", 1, 22, "is not 1/N or N");
        assertError("probe p drops sample 1/99999999999", 1, 22, "is not 1/N or N");
        assertError("probe p drops sample", 1, 21, "expected a sample rate 1/N but the line ends");
    }

    @Test
    void badActions() {
        assertError("probe p drops actions record,count,trace", 1, 36, "unknown action 'trace'");
        assertError("probe p drops actions record,,count", 1, 30, "an empty action");
        assertError("probe p drops actions count,count", 1, 29, "action 'count' is listed twice");
        assertError("probe p drops actions", 1, 22, "expected actions, e.g. record,count but the line ends");
    }

    @Test
    void unknownOrRepeatedClause() {
        assertError("probe p drops every 10", 1, 15, "unknown probe clause 'every'; expected 'actions', 'sample', 'tag' or 'filter'");
        assertError("probe p drops sample 2 sample 3", 1, 24, "'sample' is given twice for this probe");
        assertError("probe p drops actions count actions record", 1, 29, "'actions' is given twice");
        assertError("probe p drops filter \"udp\" filter \"tcp\"", 1, 28, "'filter' is given twice");
    }

    @Test
    void quotedWordWhereANameIsExpected() {
        assertError("probe \"rx\" drops", 1, 7, "expected a probe name, not a quoted string");
    }

    @Test
    void sampleRatesAloneAreParsedTheSameWay() {
        assertEquals(10, ScriptParser.parseSampleEvery("1/10"));
        assertEquals(10, ScriptParser.parseSampleEvery("10"));
        assertEquals(1, ScriptParser.parseSampleEvery("1/1"));
        assertThrows(IllegalArgumentException.class, () -> ScriptParser.parseSampleEvery("1/0"));
    }

    @Test
    void filesAreNamedInErrors(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("path.vnt");
        Files.writeString(file, "probe rx drops\nprobe tx\n");
        ScriptException e = assertThrows(ScriptException.class, () -> ScriptParser.parse(file));
        assertTrue(e.getMessage().startsWith(file + ":2:9: expected a probe spec"), e.getMessage());
        UncheckedIOException missing = assertThrows(UncheckedIOException.class, () -> ScriptParser.parse(dir.resolve("none.vnt")));
        assertTrue(missing.getMessage().contains("none.vnt"), missing.getMessage());
    }

    @Test
    void aDeviceProbeMayBeToldItsPartInTagIdentity() {
        TracingScript s = ScriptParser.parse("identity tag\nprobe out dev:eth0:egress tag read\nprobe in dev:eth1:ingress\n", "t");
        assertEquals(TagPart.READ, s.probes().get(0).tagPart());
        assertEquals(null, s.probes().get(1).tagPart());
        assertError("probe p dev:eth0:egress tag both", 1, 29, "'both' is not a tag part; use write, strip or read");
        assertError("probe p drops tag write", 1, 15, "only device probes (dev:...) write, strip or read tags");
    }
}
