package io.vnettracer.probe.script;

import io.vnettracer.probe.spec.ProbeSpec;
import io.vnettracer.probe.spec.ProbeSpecException;
import io.vnettracer.probe.spec.ProbeSpecParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the tracing script format of docs/SCRIPTS.md: one statement per line,
 * {@code identity}, {@code filter} or {@code probe}, {@code #} comments. Every error is a
 * {@link ScriptException} with the file, line and column and what was expected.
 */
public final class ScriptParser {
    /** Letters, digits and {@code _ . - / : @}; never {@code =}, which separates NAME=SPEC on the command line. */
    private static final Pattern PROBE_NAME = Pattern.compile("[A-Za-z0-9_.@:/-]+");
    private static final int MAX_NAME = 64;
    /** The longest script read: many times any real one (a probe per line, 64 probes at most per trace). */
    public static final int MAX_BYTES = 1 << 20;
    private static final String KEYWORDS = "'identity', 'filter' or 'probe'";
    private static final String CLAUSES = "'actions', 'sample', 'tag' or 'filter'";

    private ScriptParser() {}

    /**
     * Reads and parses a script file: at most {@value #MAX_BYTES} bytes of UTF-8 (a byte order mark
     * at the start is skipped); bytes that are not UTF-8 are refused with their line, column and
     * offset.
     */
    public static TracingScript parse(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new ScriptException(file.toString(), 1, 1, "the script is " + size + " bytes, over the limit of "
                        + MAX_BYTES + " bytes; is this a tracing script?");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the tracing script " + file + ": " + e.getMessage(), e);
        }
        return parse(ScriptText.decode(bytes, file.toString()), file.toString());
    }

    /**
     * Parses {@code text}; errors name {@code source} as the file. A byte order mark at the start
     * is skipped; NUL and other control characters (but tab and carriage return) are refused.
     */
    public static TracingScript parse(String text, String source) {
        if (text.length() > MAX_BYTES) {
            throw new ScriptException(source, 1, 1, "the script is " + text.length() + " characters, over the limit of "
                    + MAX_BYTES + "; is this a tracing script?");
        }
        return new Reader(source).read(ScriptText.withoutByteOrderMark(text));
    }

    /** Why {@code name} cannot name a probe, or null when it can. */
    public static String nameProblem(String name) {
        if (name.isEmpty()) {
            return "a probe needs a name";
        }
        if (name.length() > MAX_NAME) {
            return "probe name '" + name + "' is longer than " + MAX_NAME + " characters";
        }
        if (!PROBE_NAME.matcher(name).matches()) {
            return "probe name '" + name + "' may only have letters, digits and '_', '.', '-', '/', ':', '@'";
        }
        return null;
    }

    /**
     * A sampling rate, {@code 1/N} or {@code N}: record one packet in N. Throws
     * IllegalArgumentException saying what a rate looks like.
     */
    public static int parseSampleEvery(String rate) {
        String n = rate.startsWith("1/") ? rate.substring(2) : rate;
        if (rate.contains("/") && !rate.startsWith("1/")) {
            throw new IllegalArgumentException("sample rate '" + rate + "' is not 1/N; write 1/10 to record one packet in ten");
        }
        int every;
        try {
            every = Integer.parseInt(n);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("sample rate '" + rate + "' is not 1/N or N with N a whole number from 1 to "
                    + Integer.MAX_VALUE);
        }
        if (every < 1) {
            throw new IllegalArgumentException("sample rate '" + rate + "' records nothing; N must be at least 1");
        }
        return every;
    }

    /** The parse of one script: what has been seen so far and where. */
    private static final class Reader {
        private final String source;
        private final List<ProbeDefinition> probes = new ArrayList<>();
        private final Map<String, Integer> probeLines = new HashMap<>();
        private String globalFilter;
        private int globalFilterLine;
        private IdentityMode identity;
        private int identityLine;

        Reader(String source) {
            this.source = source;
        }

        TracingScript read(String text) {
            String[] lines = text.split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                ScriptText.refuseControlCharacters(lines[i], source, i + 1);
                ScriptLine line = new ScriptLine(source, i + 1, lines[i]);
                if (!line.atEnd()) {
                    statement(line, i + 1);
                }
            }
            return new TracingScript(probes, globalFilter, identity == null ? IdentityMode.FINGERPRINT : identity);
        }

        private void statement(ScriptLine line, int number) {
            ScriptLine.Token keyword = line.word(KEYWORDS);
            switch (keyword.text()) {
                case "identity" -> identity(line, keyword, number);
                case "filter" -> globalFilter(line, keyword, number);
                case "probe" -> probe(line, number);
                default -> throw line.error(keyword.column(), "unknown keyword '" + keyword.text() + "'; expected " + KEYWORDS);
            }
        }

        private void identity(ScriptLine line, ScriptLine.Token keyword, int number) {
            if (identity != null) {
                throw line.error(keyword.column(), "a second 'identity' (the first is on line " + identityLine + ")");
            }
            ScriptLine.Token mode = line.word("'tag' or 'fingerprint'");
            identity = switch (mode.text().toLowerCase(Locale.ROOT)) {
                case "tag" -> IdentityMode.TAG;
                case "fingerprint" -> IdentityMode.FINGERPRINT;
                default -> throw line.error(mode.column(), "identity is 'tag' or 'fingerprint', not '" + mode.text() + "'");
            };
            identityLine = number;
            line.expectEnd("the identity mode");
        }

        private void globalFilter(ScriptLine line, ScriptLine.Token keyword, int number) {
            if (globalFilter != null) {
                throw line.error(keyword.column(), "a second global 'filter' (the first is on line " + globalFilterLine
                        + "); join them with 'and', or give probes their own with 'probe ... filter'");
            }
            globalFilter = line.quotedOrRest("a filter expression").text();
            globalFilterLine = number;
            line.expectEnd("the quoted filter");
        }

        private void probe(ScriptLine line, int number) {
            ScriptLine.Token name = line.word("a probe name");
            String problem = nameProblem(name.text());
            if (problem != null) {
                throw line.error(name.column(), problem);
            }
            Integer first = probeLines.get(name.text());
            if (first != null) {
                throw line.error(name.column(), "a second probe named '" + name.text() + "' (the first is on line "
                        + first + "); probe names must be unique");
            }
            ScriptLine.Token specToken = line.word("a probe spec after the name, e.g. dev:vm0/eth0:egress");
            ProbeSpec spec;
            try {
                spec = ProbeSpecParser.parse(specToken.text());
            } catch (ProbeSpecException e) {
                throw line.error(specToken.column(), e.getMessage());
            }
            Set<Action> actions = null;
            Integer sample = null;
            String filter = null;
            TagPart tagPart = null;
            while (!line.atEnd()) {
                ScriptLine.Token clause = line.word(CLAUSES);
                switch (clause.text()) {
                    case "actions" -> {
                        once(line, clause, actions);
                        actions = actions(line);
                    }
                    case "sample" -> {
                        once(line, clause, sample);
                        ScriptLine.Token rate = line.word("a sample rate 1/N");
                        try {
                            sample = parseSampleEvery(rate.text());
                        } catch (IllegalArgumentException e) {
                            throw line.error(rate.column(), e.getMessage());
                        }
                    }
                    case "tag" -> {
                        once(line, clause, tagPart);
                        ScriptLine.Token part = line.word("write, strip or read");
                        tagPart = TagPart.of(part.text());
                        if (tagPart == null) {
                            throw line.error(part.column(), "'" + part.text() + "' is not a tag part; use write, strip or read");
                        }
                        if (!(spec instanceof ProbeSpec.Device)) {
                            throw line.error(clause.column(), "only device probes (dev:...) write, strip or read tags");
                        }
                    }
                    case "filter" -> {
                        once(line, clause, filter);
                        filter = line.quotedOrRest("a filter expression").text();
                    }
                    default -> throw line.error(clause.column(), "unknown probe clause '" + clause.text() + "'; expected " + CLAUSES);
                }
            }
            ProbeDefinition recording = ProbeDefinition.recording(name.text(), spec);
            probes.add(new ProbeDefinition(name.text(), spec, filter, actions == null ? recording.actions() : actions,
                    sample == null ? 1 : sample, tagPart));
            probeLines.put(name.text(), number);
        }

        private static void once(ScriptLine line, ScriptLine.Token clause, Object seen) {
            if (seen != null) {
                throw line.error(clause.column(), "'" + clause.text() + "' is given twice for this probe");
            }
        }

        private static Set<Action> actions(ScriptLine line) {
            ScriptLine.Token list = line.word("actions, e.g. record,count");
            Set<Action> actions = EnumSet.noneOf(Action.class);
            int column = list.column();
            for (String word : list.text().split(",", -1)) {
                Action action = null;
                for (Action a : Action.values()) {
                    if (a.word().equals(word)) {
                        action = a;
                    }
                }
                if (action == null) {
                    throw line.error(column, (word.isEmpty() ? "an empty action" : "unknown action '" + word + "'")
                            + "; actions are record, count, histogram, separated by commas without blanks");
                }
                if (!actions.add(action)) {
                    throw line.error(column, "action '" + word + "' is listed twice");
                }
                column += word.length() + 1;
            }
            return actions;
        }
    }
}
