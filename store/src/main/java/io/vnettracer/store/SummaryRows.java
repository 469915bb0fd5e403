package io.vnettracer.store;

import io.vnettracer.journey.ProbeCatalog;
import io.vnettracer.journey.Summary;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * A final {@link Summary} as rows: {@code probes}, {@code flows}, {@code flow_path},
 * {@code segments}, {@code drops}, the figures of the JSON summary under the same names; then each
 * journey's {@code delivered}, now that the flows' paths are known.
 */
final class SummaryRows {
    private SummaryRows() {}

    static void write(DuckDBConnection connection, Summary summary, ProbeCatalog catalog) throws SQLException {
        try (DuckDBAppender a = connection.createAppender("main", "probes")) {
            for (Summary.Probe p : summary.probes()) {
                ProbeCatalog.Probe known = find(catalog, p.name());
                a.beginRow();
                if (known == null) {
                    a.appendNull();
                } else {
                    a.append(known.id());
                }
                a.append(p.name()).append(p.spec()).append(known != null && known.dropProbe())
                        .append(p.events()).append(p.lost()).endRow();
            }
        }
        try (DuckDBAppender flows = connection.createAppender("main", "flows");
             DuckDBAppender path = connection.createAppender("main", "flow_path")) {
            for (Summary.Flow f : summary.flows()) {
                String name = f.key() != null ? f.key().toString() : f.proto() + " " + f.src() + ":" + f.sport() + " > " + f.dst() + ":" + f.dport();
                Summary.Latency l = f.latencyNs();
                flows.beginRow().append(name).append(f.proto()).append(f.src()).append(f.sport()).append(f.dst()).append(f.dport())
                        .append(f.sent()).append(f.received()).append(f.lost()).append(f.lossRate()).append(f.throughputBps())
                        .append(f.jitterNs()).append(l.min()).append(l.mean()).append(l.p50()).append(l.p90()).append(l.p99())
                        .append(l.max()).append(f.path() == null ? null : String.join(" > ", f.path())).endRow();
                if (f.path() != null) {
                    for (int i = 0; i < f.path().size(); i++) {
                        path.beginRow().append(name).append(i).append(f.path().get(i)).endRow();
                    }
                }
            }
        }
        try (DuckDBAppender a = connection.createAppender("main", "segments")) {
            for (Summary.Segment s : summary.segments()) {
                a.beginRow().append(s.flow()).append(s.from()).append(s.to()).append(s.packets()).append(s.lost())
                        .append(s.latencyNs().mean()).append(s.latencyNs().p50()).append(s.latencyNs().p99())
                        .append(s.share()).endRow();
            }
        }
        try (DuckDBAppender a = connection.createAppender("main", "drops")) {
            for (Summary.Drop d : summary.drops()) {
                a.beginRow().append(d.probeOrPoint()).append(d.reason()).append(d.count()).endRow();
            }
        }
        try (Statement s = connection.createStatement()) {
            s.execute("""
                    UPDATE journeys SET delivered = EXISTS (
                        SELECT 1 FROM journey_hops h
                        JOIN flow_path p ON p.probe = h.probe
                        WHERE h.journey = journeys.journey AND p.flow = journeys.flow
                          AND p.position = (SELECT max(position) FROM flow_path q WHERE q.flow = journeys.flow))""");
        }
    }

    static void info(DuckDBConnection connection, Map<String, String> info) throws SQLException {
        try (DuckDBAppender a = connection.createAppender("main", "trace_info")) {
            for (var e : info.entrySet()) {
                a.beginRow().append(e.getKey()).append(e.getValue()).endRow();
            }
        }
    }

    private static ProbeCatalog.Probe find(ProbeCatalog catalog, String name) {
        for (int i = 0; i < catalog.size(); i++) {
            if (catalog.get(i).name().equals(name)) {
                return catalog.get(i);
            }
        }
        return null;
    }
}
