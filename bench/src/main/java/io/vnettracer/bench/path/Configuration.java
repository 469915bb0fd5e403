package io.vnettracer.bench.path;

import java.util.Optional;

/**
 * One thing attached to the path while the loads run (or nothing): started before each load,
 * finished and closed right after it, so no two configurations ever overlap.
 */
interface Configuration {
    /** Short label for the table, e.g. "(b) trace record, 2 probes". */
    String label();

    /** What exactly is attached, for the printout and the result file. */
    String description();

    /** What its {@link Account}'s two counts are, e.g. "packets captured / dropped by kernel"; "" when it has none. */
    default String counts() {
        return "";
    }

    /** Why this configuration cannot run here, or empty when it can; asked once, before the rounds. */
    default Optional<String> unavailableReason(PathLab lab) {
        return Optional.empty();
    }

    /** Attaches for one load, ready when this returns. */
    Attached attach(PathLab lab, PathWorkload workload);

    /** A running configuration. {@link #finish} detaches and says what it saw; {@link #close} only makes sure. */
    interface Attached extends AutoCloseable {
        /** Detaches or stops; returns what it saw and dropped ({@link Account#NONE} when it has no account). */
        Account finish();

        @Override
        void close();
    }

    /** (a): the baseline every ratio is taken against. */
    Configuration NOTHING = new Configuration() {
        @Override
        public String label() {
            return "(a) nothing attached";
        }

        @Override
        public String description() {
            return "no probe, no capture";
        }

        @Override
        public Attached attach(PathLab lab, PathWorkload workload) {
            return new Attached() {
                @Override
                public Account finish() {
                    return Account.NONE;
                }

                @Override
                public void close() {
                }
            };
        }
    };
}
