package io.vnettracer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.bpf.testing.Root;
import io.vnettracer.event.EventKind;
import io.vnettracer.event.EventLayout;
import io.vnettracer.event.EventView;
import io.vnettracer.event.EventWriter;
import io.vnettracer.event.IdMode;
import io.vnettracer.event.PacketKeyLayout;
import io.vnettracer.journey.JoinerConfig;
import io.vnettracer.journey.JourneyJoiner;
import io.vnettracer.journey.ProbeCatalog;
import io.vnettracer.sinks.events.EventFileWriter;
import io.vnettracer.sinks.json.JsonSummaryWriter;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vnettracer sql} and {@code store import} on a saved trace of generated events (3
 * datagrams past tx and rx), and their error paths: each a clear line and exit 2.
 */
class SqlCommandTest {
    /** A saved trace as {@code trace --events --json} writes it, then imported into a store. */
    private static Path importedStore(Path dir) {
        ProbeCatalog catalog = new ProbeCatalog().probe(0, "tx", "dev:a:egress").probe(1, "rx", "dev:b:ingress");
        JourneyJoiner joiner = new JourneyJoiner(catalog, JoinerConfig.defaults());
        Path events = dir.resolve("events.bin");
        MemorySegment record = MemorySegment.ofArray(new byte[EventLayout.SIZE]);
        EventWriter w = new EventWriter().wrap(record, 0);
        EventView view = new EventView().wrap(record, 0);
        try (EventFileWriter file = new EventFileWriter(events)) {
            for (int i = 0; i < 3; i++) {
                for (int probe = 0; probe < 2; probe++) {
                    w.kind(EventKind.PACKET).idMode(IdMode.FINGERPRINT).probeId(probe).timestamp(1_000_000L * i + probe * 500L)
                            .ipv4(0x0a000001, 0x0a000002, PacketKeyLayout.IPPROTO_UDP, 5000, 6000).ipId(i).ipLength(60);
                    joiner.onEvent(view);
                    file.write(view);
                }
            }
        }
        joiner.flush();
        Path json = dir.resolve("summary.json");
        new JsonSummaryWriter().write(joiner.summary(id -> 0), json);
        Path db = dir.resolve("t.duckdb");
        CommandLineRun run = CommandLineRun.of("store", "import", "--events", events.toString(), "--json", json.toString(),
                "--db", db.toString());
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("wrote " + db + ": 6 events, 3 journeys, 1 flows\n", run.out());
        return db;
    }

    @Test
    void aQueryPrintsAnAlignedTableCsvOrJson(@TempDir Path dir) {
        Path db = importedStore(dir);
        String query = "SELECT flow, sent, received, path FROM flows";
        CommandLineRun table = CommandLineRun.of("sql", "--db", db.toString(), query);
        assertEquals(0, table.exitCode(), table.err());
        assertEquals("""
                flow                               sent  received  path
                ---------------------------------  ----  --------  -------
                udp 10.0.0.1:5000 > 10.0.0.2:6000     3         3  tx > rx
                (1 row)
                """, table.out());
        CommandLineRun csv = CommandLineRun.of("sql", "--db", db.toString(), "--csv", query);
        assertEquals("flow,sent,received,path\r\nudp 10.0.0.1:5000 > 10.0.0.2:6000,3,3,tx > rx\r\n", csv.out());
        CommandLineRun json = CommandLineRun.of("sql", "--db", db.toString(), "--json", "SELECT probe, count(*) AS n FROM events GROUP BY probe ORDER BY probe");
        assertEquals("[ {\n  \"probe\" : \"rx\",\n  \"n\" : 3\n}, {\n  \"probe\" : \"tx\",\n  \"n\" : 3\n} ]\n", json.out());
        CommandLineRun view = CommandLineRun.of("sql", "--db", db.toString(), "--csv",
                "SELECT from_probe, to_probe, packets, mean_ns FROM segment_latency");
        assertEquals("from_probe,to_probe,packets,mean_ns\r\ntx,rx,3,500.0\r\n", view.out());
    }

    /** Every query of docs/STORE.md's examples runs on a store. */
    @Test
    void theDocumentedExampleQueriesRun(@TempDir Path dir) throws Exception {
        Path db = importedStore(dir);
        String doc = Files.readString(Path.of("../docs/STORE.md"));
        String block = doc.substring(doc.indexOf("```sql") + 6, doc.indexOf("```", doc.indexOf("```sql") + 6));
        int queries = 0;
        for (String statement : block.replaceAll("(?m)^--.*$", "").split(";")) {
            if (statement.isBlank()) {
                continue;
            }
            CommandLineRun run = CommandLineRun.of("sql", "--db", db.toString(), statement.strip());
            assertEquals(0, run.exitCode(), statement + "\n" + run.err());
            queries++;
        }
        assertEquals(6, queries);
    }

    @Test
    void aBadQueryIsOneClearLineAndExit2(@TempDir Path dir) {
        Path db = importedStore(dir);
        CommandLineRun run = CommandLineRun.of("sql", "--db", db.toString(), "SELECT nonsense FROM flows");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().startsWith("vnettracer sql: the query failed: Binder Error: Referenced column \"nonsense\" not found"), run.err());
        assertEquals("", run.out());
    }

    @Test
    void theStoreIsReadOnly(@TempDir Path dir) {
        Path db = importedStore(dir);
        CommandLineRun run = CommandLineRun.of("sql", "--db", db.toString(), "DELETE FROM events");
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("read-only"), run.err());
        assertEquals("6\n", CommandLineRun.of("sql", "--db", db.toString(), "--csv", "SELECT count(*) AS n FROM events").out()
                .lines().skip(1).findFirst().orElseThrow() + "\n");
    }

    @Test
    void aMissingStoreOrAFileThatIsNoStoreIsExit2(@TempDir Path dir) throws Exception {
        CommandLineRun missing = CommandLineRun.of("sql", "--db", dir.resolve("none.duckdb").toString(), "SELECT 1");
        assertEquals(2, missing.exitCode());
        assertEquals("vnettracer sql: no store at " + dir.resolve("none.duckdb")
                + " (write one with 'vnettracer trace --store FILE')\n", missing.err());
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a database\n");
        CommandLineRun notStore = CommandLineRun.of("sql", "--db", text.toString(), "SELECT 1");
        assertEquals(2, notStore.exitCode());
        assertTrue(notStore.err().startsWith("vnettracer sql: cannot open the store " + text + ": "), notStore.err());
    }

    @Test
    void importRefusesAnEventsFileThatIsNot(@TempDir Path dir) throws Exception {
        Path bogus = Files.writeString(dir.resolve("e.bin"), "hello");
        Path json = Files.writeString(dir.resolve("s.json"), "{\"probes\": []}");
        CommandLineRun run = CommandLineRun.of("store", "import", "--events", bogus.toString(), "--json", json.toString(),
                "--db", dir.resolve("t.duckdb").toString());
        assertEquals(2, run.exitCode(), run.err());
        assertEquals("vnettracer store import: " + bogus + " is not a vNetTracer events file (no VNTEVENT header)\n", run.err());
        assertTrue(Files.notExists(dir.resolve("t.duckdb")), "no store left behind");
    }

    @Test
    void traceRefusesAStoreItCannotCreateBeforeAttaching(@TempDir Path dir) throws Exception {
        Root.assume();
        int before = BpfDescriptors.programsAndLinks();
        Path existing = Files.writeString(dir.resolve("old.duckdb"), "x");
        CommandLineRun run = CommandLineRun.of("trace", "--run-dir", dir.toString(), "--probe", "rx=kernel:netif_receive_skb",
                "--store", existing.toString());
        assertEquals(2, run.exitCode(), run.err());
        assertEquals("vnettracer trace: --store " + existing + ": the file exists; pass --force to replace it\n", run.err());
        CommandLineRun pcap = CommandLineRun.of("trace", "--run-dir", dir.toString(), "--probe", "rx=kernel:netif_receive_skb",
                "--pcapng", dir.resolve("no/such/dir/t.pcapng").toString());
        assertEquals(2, pcap.exitCode(), pcap.err());
        assertEquals("vnettracer trace: --pcapng " + dir.resolve("no/such/dir/t.pcapng") + ": the directory " + dir.resolve("no/such/dir")
                + " does not exist; create it first\n", pcap.err());
        assertEquals(before, BpfDescriptors.programsAndLinks(), "nothing attached");
    }

    /** A file only root may read, standing in for /etc/shadow. */
    private static Path secret(Path dir) throws Exception {
        Path secret = Files.writeString(dir.resolve("shadow"), "root:$6$secret\n");
        Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return secret;
    }

    private static void assertRefused(Path db, String query, String fragment) {
        CommandLineRun run = CommandLineRun.of("sql", "--db", db.toString(), query);
        assertEquals(2, run.exitCode(), query + ": " + run.err() + run.out());
        assertTrue(run.err().startsWith("vnettracer sql: ") && run.err().contains(fragment), query + ": " + run.err());
        assertEquals(1, run.err().lines().count(), run.err());
        assertEquals("", run.out(), query);
    }

    @Test
    void aQueryCannotReachFilesExtensionsOrSettings(@TempDir Path dir) throws Exception {
        Path db = importedStore(dir);
        Path secret = secret(dir);
        Path victim = Files.writeString(dir.resolve("owned-by-root"), "original\n");
        assertRefused(db, "COPY (SELECT 1) TO '" + victim + "'", "only a query runs on a store");
        assertEquals("original\n", Files.readString(victim));
        assertRefused(db, "SELECT * FROM read_text('" + secret + "')", "file system operations are disabled");
        assertRefused(db, "SELECT * FROM read_csv('" + secret + "')", "file system operations are disabled");
        assertRefused(db, "SELECT * FROM glob('" + dir + "/*')", "file system operations are disabled");
        assertRefused(db, "ATTACH '" + dir.resolve("new.duckdb") + "' (READ_WRITE)", "only a query runs on a store");
        assertTrue(Files.notExists(dir.resolve("new.duckdb")));
        assertRefused(db, "INSTALL httpfs", "only a query runs on a store");
        assertRefused(db, "LOAD httpfs", "only a query runs on a store");
        assertRefused(db, "SET enable_external_access = true", "only a query runs on a store");
        assertRefused(db, "SELECT 1; SELECT * FROM read_text('" + secret + "')", "one statement per call: the input holds 2 statements");
        assertRefused(db, "SELECT count(*) FROM flows; SELECT 2", "one statement per call");
        assertRefused(db, "SELEC 1", "the query failed: Parser Error: syntax error");
        CommandLineRun settings = CommandLineRun.of("sql", "--db", db.toString(), "--csv",
                "SELECT current_setting('enable_external_access') AS e, current_setting('lock_configuration') AS l");
        assertEquals("e,l\r\nfalse,true\r\n", settings.out(), settings.err());
        CommandLineRun describe = CommandLineRun.of("sql", "--db", db.toString(), "DESCRIBE flows");
        assertEquals(0, describe.exitCode(), describe.err());
        CommandLineRun trailing = CommandLineRun.of("sql", "--db", db.toString(), "--csv", "SELECT count(*) AS n FROM events;");
        assertEquals("n\r\n6\r\n", trailing.out(), trailing.err());
    }

    @Test
    void aCraftedStoreCannotMakeAQueryReadALocalFile(@TempDir Path dir) throws Exception {
        Path secret = secret(dir);
        Path crafted = dir.resolve("crafted.duckdb");
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + crafted);
             java.sql.Statement st = c.createStatement()) {
            st.execute("CREATE TABLE flows AS SELECT 1 AS flow");
            st.execute("CREATE VIEW segment_latency AS SELECT * FROM read_text('" + secret + "')");
            st.execute("CREATE MACRO leak() AS TABLE SELECT * FROM read_text('" + secret + "')");
        }
        assertRefused(crafted, "SELECT * FROM segment_latency", "file system operations are disabled");
        assertRefused(crafted, "SELECT * FROM leak()", "file system operations are disabled");
        CommandLineRun ok = CommandLineRun.of("sql", "--db", crafted.toString(), "--csv", "SELECT flow FROM flows");
        assertEquals("flow\r\n1\r\n", ok.out(), ok.err());
    }

    @Test
    void importRefusesAnExistingStoreWithoutForceAndReplacesItWith(@TempDir Path dir) throws Exception {
        Path db = importedStore(dir);
        Files.setPosixFilePermissions(db, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        String[] again = {"store", "import", "--events", dir.resolve("events.bin").toString(), "--json",
                dir.resolve("summary.json").toString(), "--db", db.toString()};
        CommandLineRun refused = CommandLineRun.of(again);
        assertEquals(2, refused.exitCode(), refused.err());
        assertEquals("vnettracer store import: --db " + db + ": the file exists; pass --force to replace it\n", refused.err());
        String[] forced = java.util.Arrays.copyOf(again, again.length + 1);
        forced[again.length] = "--force";
        CommandLineRun replaced = CommandLineRun.of(forced);
        assertEquals(0, replaced.exitCode(), replaced.err());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(db)));
        try (var left = Files.list(dir)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().contains(".writing-")), "no staging directory left");
        }
        assertEquals("n\r\n6\r\n", CommandLineRun.of("sql", "--db", db.toString(), "--csv", "SELECT count(*) AS n FROM events").out());
    }
}
