package io.vnettracer.store;

import io.vnettracer.event.EventKind;
import io.vnettracer.event.EventLayout;
import io.vnettracer.event.EventView;
import io.vnettracer.event.IdMode;
import io.vnettracer.journey.Addresses;
import io.vnettracer.journey.FlowKey;
import io.vnettracer.journey.ProbeCatalog;
import java.nio.ByteBuffer;
import java.sql.SQLException;
import java.util.Locale;
import java.util.function.IntFunction;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The writer thread's work: each batch's records become rows of {@code events}, {@code journeys}
 * and {@code journey_hops} through DuckDB appenders (DuckDB's bulk path, no SQL per row). After a
 * failure it stores nothing more and counts what it could not store.
 *
 * <p>Rows are committed every {@value #COMMIT_EVERY_BATCHES} batches, not per appender flush: in
 * auto-commit mode every 2048-row chunk the appender flushes is a transaction of its own with its
 * own write-ahead-log sync, which took most of the writer's time.
 */
final class StoreWriter {
    private final ProbeCatalog catalog;
    private final IntFunction<String> dropReasonNames;
    private final DuckDBConnection connection;
    private DuckDBAppender events;
    private DuckDBAppender journeys;
    private DuckDBAppender hops;
    private static final String[] KIND_NAMES = names(EventKind.values());
    private static final String[] MODE_NAMES = names(IdMode.values());
    private final EventView view = new EventView();
    private final LastAddress src = new LastAddress();
    private final LastAddress dst = new LastAddress();
    private long eventsStored;
    private long journeysStored;
    private long eventsFailed;
    private long journeysFailed;
    private SQLException failure;
    private int uncommittedBatches;
    /** Rows appended since the last commit: stored when it succeeds, failed when it does not. */
    private long eventsPending;
    private long journeysPending;
    static final int COMMIT_EVERY_BATCHES = 32;
    private FlowKey lastFlow;
    private String lastFlowName;
    private String lastFlowSrc;
    private String lastFlowDst;

    StoreWriter(DuckDBConnection connection, ProbeCatalog catalog, IntFunction<String> dropReasonNames) {
        this.connection = connection;
        this.catalog = catalog;
        this.dropReasonNames = dropReasonNames;
    }

    /** Creates the appenders: on the writer thread, since DuckDB confines an appender to the thread that made it. */
    void open() {
        try {
            connection.setAutoCommit(false);
            events = connection.createAppender("main", "events");
            journeys = connection.createAppender("main", "journeys");
            hops = connection.createAppender("main", "journey_hops");
        } catch (SQLException e) {
            failure = e;
        }
    }

    void write(RecordBatch batch) {
        if (failure == null) {
            try {
                if (batch.kind == RecordBatch.Kind.EVENTS) {
                    writeEvents(batch);
                } else {
                    writeJourneys(batch);
                }
                if (++uncommittedBatches >= COMMIT_EVERY_BATCHES) {
                    commit();
                    open();
                }
                return;
            } catch (SQLException | RuntimeException e) {
                failure = e instanceof SQLException s ? s : new SQLException(e.getMessage(), e);
            }
        }
        // This batch's rows may be partly appended; the appender's buffer goes with the failure.
        if (batch.kind == RecordBatch.Kind.EVENTS) {
            eventsFailed += batch.records;
        } else {
            journeysFailed += batch.records;
        }
    }

    private void writeEvents(RecordBatch batch) throws SQLException {
        for (int i = 0; i < batch.records; i++) {
            EventView e = view.wrap(batch.segment, (long) i * EventLayout.SIZE);
            EventKind kind = e.kind();
            IdMode mode = e.idMode();
            int family = e.family();
            events.beginRow()
                    .append(e.timestamp())
                    .append(e.probeId())
                    .append(probeName(catalog.indexOf(e.probeId()), e.probeId()))
                    .append(kind == null ? Integer.toString(e.kindCode()) : KIND_NAMES[kind.ordinal()])
                    .append(mode == null ? Integer.toString(e.idModeCode()) : MODE_NAMES[mode.ordinal()])
                    .append((byte) e.flags())
                    .append(e.tag())
                    .append(e.fingerprint())
                    .append(e.cpu())
                    .append(e.ifindex())
                    .append(e.netnsCookie())
                    .append(e.skbLength())
                    .append((byte) family);
            if (family == 0) {
                events.appendNull().appendNull().appendNull().appendNull().appendNull();
            } else {
                events.append(Addresses.protocolName(e.protocol()))
                        .append(src.format(family, e.srcAddrHigh(), e.srcAddrLow()))
                        .append(e.srcPort())
                        .append(dst.format(family, e.dstAddrHigh(), e.dstAddrLow()))
                        .append(e.dstPort());
            }
            events.append(e.ipId()).append(e.ipLength()).append((byte) e.tcpFlags()).append(e.l4Data()).append(e.extra());
            if (kind == EventKind.DROP) {
                int reason = (int) e.extra();
                events.append(reason).append(dropReasonNames.apply(reason));
            } else {
                events.appendNull().appendNull();
            }
            events.endRow();
        }
        eventsPending += batch.records;
    }

    private void writeJourneys(RecordBatch batch) throws SQLException {
        ByteBuffer in = batch.buffer.duplicate().order(batch.buffer.order()).flip();
        for (int r = 0; r < batch.records; r++) {
            JourneyRecords.Decoded j = JourneyRecords.read(in);
            int n = j.hopTs().length;
            journeys.beginRow().append(j.sequence()).append(j.identityKey());
            FlowKey f = j.flow();
            if (f == null) {
                journeys.appendNull().appendNull().appendNull().appendNull().appendNull().appendNull();
            } else {
                if (!f.equals(lastFlow)) {
                    lastFlow = f;
                    lastFlowName = f.toString();
                    lastFlowSrc = f.srcAddress();
                    lastFlowDst = f.dstAddress();
                }
                journeys.append(lastFlowName).append(f.protocolName()).append(lastFlowSrc).append(f.srcPort())
                        .append(lastFlowDst).append(f.dstPort());
            }
            if (n == 0) {
                journeys.appendNull().appendNull();
            } else {
                journeys.append(j.hopTs()[0]).append(j.hopTs()[n - 1]);
            }
            // delivered is known once the flows' paths are: the store's finish sets it
            journeys.append(n).append(false).append(j.dropProbe() >= 0);
            if (j.dropProbe() >= 0) {
                journeys.append(probeName(j.dropProbe())).append(j.dropReason()).append(dropReasonNames.apply(j.dropReason()));
            } else {
                journeys.appendNull().appendNull().appendNull();
            }
            journeys.endRow();
            for (int i = 0; i < n; i++) {
                hops.beginRow().append(j.sequence()).append(i).append(probeName(j.hopProbe()[i]))
                        .append(j.hopTs()[i]).append(j.hopBytes()[i]).endRow();
            }
        }
        journeysPending += batch.records;
    }

    /** Flushes and closes the appenders and commits their rows; on the writer thread, after the last batch. */
    void flush() {
        commit();
        try {
            connection.setAutoCommit(true);
        } catch (SQLException e) {
            if (failure == null) {
                failure = e;
            }
        }
    }

    private void commit() {
        for (DuckDBAppender a : new DuckDBAppender[] {events, journeys, hops}) {
            if (a == null) {
                continue;
            }
            try {
                a.close();
            } catch (SQLException e) {
                if (failure == null) {
                    failure = e;
                }
            }
        }
        events = journeys = hops = null;
        uncommittedBatches = 0;
        try {
            if (failure == null) {
                connection.commit();
            } else {
                connection.rollback();
            }
        } catch (SQLException e) {
            if (failure == null) {
                failure = e;
            }
        }
        if (failure == null) {
            eventsStored += eventsPending;
            journeysStored += journeysPending;
        } else {
            eventsFailed += eventsPending;
            journeysFailed += journeysPending;
        }
        eventsPending = 0;
        journeysPending = 0;
    }

    private String probeName(int index, int probeId) {
        return index < 0 ? "probe#" + probeId : catalog.get(index).name();
    }

    private String probeName(int index) {
        return index < 0 || index >= catalog.size() ? "probe index " + index : catalog.get(index).name();
    }

    private static String[] names(Enum<?>[] values) {
        String[] names = new String[values.length];
        for (Enum<?> v : values) {
            names[v.ordinal()] = v.name().toLowerCase(Locale.ROOT);
        }
        return names;
    }

    /** The text of the last address seen: a flow's records repeat it, so most rows format nothing. */
    private static final class LastAddress {
        private int family = -1;
        private long high;
        private long low;
        private String text;

        String format(int family, long high, long low) {
            if (family != this.family || high != this.high || low != this.low) {
                this.family = family;
                this.high = high;
                this.low = low;
                this.text = Addresses.format(family, high, low);
            }
            return text;
        }
    }

    long eventsStored() { return eventsStored; }
    long journeysStored() { return journeysStored; }
    long eventsFailed() { return eventsFailed; }
    long journeysFailed() { return journeysFailed; }
    SQLException failure() { return failure; }
}
