package io.vnettracer.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The store's tables and views (docs/STORE.md). Timestamps are the probes' kernel clock
 * (CLOCK_MONOTONIC, ns); {@code trace_info} holds the offset to wall time taken at trace start.
 */
final class StoreSchema {
    /** Bumped when a table or column changes meaning. */
    static final int VERSION = 1;

    static final List<String> TABLES = List.of(
            """
            CREATE TABLE trace_info (key VARCHAR PRIMARY KEY, value VARCHAR)""",
            """
            CREATE TABLE probes (probe_id INTEGER, name VARCHAR, spec VARCHAR, drop_probe BOOLEAN,
                events BIGINT, lost BIGINT)""",
            """
            CREATE TABLE events (ts_ns BIGINT, probe_id INTEGER, probe VARCHAR, kind VARCHAR, id_mode VARCHAR,
                flags UTINYINT, tag BIGINT, fingerprint BIGINT, cpu INTEGER, ifindex INTEGER, netns_cookie BIGINT,
                skb_len INTEGER, family UTINYINT, protocol VARCHAR, src VARCHAR, sport INTEGER, dst VARCHAR,
                dport INTEGER, ip_id INTEGER, ip_len INTEGER, tcp_flags UTINYINT, l4_data BIGINT, extra BIGINT,
                drop_reason INTEGER, drop_reason_name VARCHAR)""",
            """
            CREATE TABLE journeys (journey BIGINT, identity_key BIGINT, flow VARCHAR, protocol VARCHAR, src VARCHAR,
                sport INTEGER, dst VARCHAR, dport INTEGER, first_ts_ns BIGINT, last_ts_ns BIGINT, hops INTEGER,
                delivered BOOLEAN, dropped BOOLEAN, drop_probe VARCHAR, drop_reason INTEGER, drop_reason_name VARCHAR)""",
            """
            CREATE TABLE journey_hops (journey BIGINT, position INTEGER, probe VARCHAR, ts_ns BIGINT, ip_len INTEGER)""",
            """
            CREATE TABLE flows (flow VARCHAR, protocol VARCHAR, src VARCHAR, sport INTEGER, dst VARCHAR, dport INTEGER,
                sent BIGINT, received BIGINT, lost BIGINT, loss_rate DOUBLE, throughput_bps DOUBLE, jitter_ns DOUBLE,
                latency_min_ns BIGINT, latency_mean_ns DOUBLE, latency_p50_ns BIGINT, latency_p90_ns BIGINT,
                latency_p99_ns BIGINT, latency_max_ns BIGINT, path VARCHAR)""",
            """
            CREATE TABLE flow_path (flow VARCHAR, position INTEGER, probe VARCHAR)""",
            """
            CREATE TABLE segments (flow VARCHAR, from_probe VARCHAR, to_probe VARCHAR, packets BIGINT, lost BIGINT,
                latency_mean_ns DOUBLE, latency_p50_ns BIGINT, latency_p99_ns BIGINT, share DOUBLE)""",
            """
            CREATE TABLE drops (probe_or_point VARCHAR, reason VARCHAR, count BIGINT)""");

    /** Views that make the usual questions one line. */
    static final List<String> VIEWS = List.of(
            """
            CREATE VIEW hop_delays AS
            SELECT j.journey, j.flow, h.probe AS from_probe, h.next_probe AS to_probe, h.next_ts_ns - h.ts_ns AS delay_ns
            FROM (SELECT journey, probe, ts_ns,
                         lead(probe) OVER (PARTITION BY journey ORDER BY position) AS next_probe,
                         lead(ts_ns) OVER (PARTITION BY journey ORDER BY position) AS next_ts_ns
                  FROM journey_hops) h
            JOIN journeys j USING (journey)
            WHERE h.next_probe IS NOT NULL""",
            """
            CREATE VIEW segment_latency AS
            SELECT flow, from_probe, to_probe, count(*) AS packets,
                   avg(delay_ns) AS mean_ns, quantile_disc(delay_ns, 0.5) AS p50_ns,
                   quantile_disc(delay_ns, 0.99) AS p99_ns, max(delay_ns) AS max_ns
            FROM hop_delays GROUP BY flow, from_probe, to_probe""",
            """
            CREATE VIEW probe_counts AS
            SELECT probe, kind, count(*) AS events FROM events GROUP BY probe, kind""",
            """
            CREATE VIEW journey_latency AS
            SELECT journey, flow, hops, delivered, dropped, last_ts_ns - first_ts_ns AS latency_ns,
                   first_ts_ns + (SELECT CAST(value AS BIGINT) FROM trace_info WHERE key = 'wall_offset_ns') AS first_wall_ns
            FROM journeys""");

    private StoreSchema() {}

    static void create(Connection connection) throws SQLException {
        try (Statement s = connection.createStatement()) {
            for (String ddl : TABLES) {
                s.execute(ddl);
            }
            for (String ddl : VIEWS) {
                s.execute(ddl);
            }
        }
    }
}
