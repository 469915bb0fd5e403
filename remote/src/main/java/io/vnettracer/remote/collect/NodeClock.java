package io.vnettracer.remote.collect;

/**
 * Where a node's clock stands against the collector's: {@code collector time = node time - offset},
 * known to within {@code ±uncertainty}.
 */
public record NodeClock(long offsetNanos, long uncertaintyNanos) {
    public static final NodeClock SAME = new NodeClock(0, 0);

    public long toCollector(long nodeNanos) {
        return nodeNanos - offsetNanos;
    }
}
