package io.vnettracer.bench.path;

import java.util.LinkedHashMap;
import java.util.Map;

/** One configuration's {@link Account}s summed over a run: what it saw and dropped in every load of every round. */
final class LossTotals {
    private int loads;
    private long seen;
    private long lost;
    private boolean seenUnreported;
    private boolean lostUnreported;
    private final Map<String, Long> lostByPoint = new LinkedHashMap<>();

    void add(Account account) {
        loads++;
        seenUnreported |= account.seen() == Account.NOT_REPORTED;
        lostUnreported |= account.lost() == Account.NOT_REPORTED;
        seen += Math.max(0, account.seen());
        lost += Math.max(0, account.lost());
        account.lostByPoint().forEach((point, n) -> lostByPoint.merge(point, n, Long::sum));
    }

    /** For the table: "seen / lost over N loads (by probe: ...)", a count some load did not report marked "?". */
    String line() {
        return String.format("%s / %s over %d loads", shown(seen, seenUnreported), shown(lost, lostUnreported), loads)
                + (lostByPoint.isEmpty() ? "" : "; lost by probe: " + String.join(", ",
                        lostByPoint.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()));
    }

    Map<String, Object> toJson(String counts) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("counts", counts);
        m.put("loads", loads);
        m.put("seen", seenUnreported ? null : seen);
        m.put("lost", lostUnreported ? null : lost);
        if (!lostByPoint.isEmpty()) {
            m.put("lost_by_probe", lostByPoint);
        }
        return m;
    }

    private static String shown(long count, boolean unreported) {
        return unreported ? "?" : String.format("%,d", count);
    }
}
