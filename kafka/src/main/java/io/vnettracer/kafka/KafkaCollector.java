package io.vnettracer.kafka;

import io.vnettracer.journey.JoinerConfig;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One collector of a consumer group (docs/KAFKA.md): every partition the group gives it is joined by
 * a joiner of its own; a partition taken away is flushed and its figures kept; a partition ends when
 * every node in the catalog has written its end-of-trace marker there. {@link #run} returns when
 * every partition it holds has ended, at the duration, or at {@link #stop}, with the merge of all
 * its partitions' summaries.
 *
 * <p>{@link #run} is single-threaded (the consumer's thread); {@link #stop} may be called from any.
 */
public final class KafkaCollector implements AutoCloseable {
    /** Where to read and how long. {@code duration} null: until the end-of-trace markers. */
    public record Options(String bootstrap, String topic, String group, Duration duration, int maxProbes,
                          long joinerTimeoutNanos, long timeoutMillis) {
        /**
         * The joiner timeout of a collector: longer than a single trace's, because one partition
         * interleaves several nodes' batches, and a node whose events reach the broker later than
         * another's by more than the timeout would have them counted late.
         */
        public static final long DEFAULT_JOINER_TIMEOUT_NANOS = 10_000_000_000L;

        public static Options of(String bootstrap, String topic, String group) {
            return new Options(bootstrap, topic, group, null, 256, DEFAULT_JOINER_TIMEOUT_NANOS, 30_000);
        }

        public Options withDuration(Duration d) {
            return new Options(bootstrap, topic, group, d, maxProbes, joinerTimeoutNanos, timeoutMillis);
        }
    }

    /**
     * What the collector read. {@code badBatches}: values that are not batches of this format
     * (skipped); {@code afterEnd}: batches on a partition after its end; {@code partitionsRevoked}:
     * partitions taken away with joined work (flushed and kept); {@code endedByMarkers}:
     * false when the duration or a stop ended the run first.
     */
    public record Stats(long batches, long entries, long badBatches, long afterEnd, long unknownNodeEntries,
                        long unknownProbeEntries, int partitionsEnded, int partitionsRevoked, boolean endedByMarkers,
                        long firstBatchNanos, long lastBatchNanos, String firstBadBatch) {}

    public record Result(PartialSummary merged, List<PartialSummary> partitions, Stats stats) {}

    private final Options options;
    private final CollectorCatalog catalog;
    private final CatalogReader catalogReader;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final JoinerConfig joinerConfig;
    private final Map<Integer, PartitionJoin> active = new HashMap<>();
    private final Map<Integer, Boolean> ended = new HashMap<>();
    private final Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
    private final List<PartialSummary> results = new ArrayList<>();
    private volatile boolean stopRequested;
    private volatile int assigned;
    private long batches, entries, badBatches, afterEnd, unknownNodeEntries, unknownProbeEntries;
    private int partitionsEnded, partitionsRevoked;
    private long firstBatchNanos, lastBatchNanos;
    private String firstBadBatch;

    public KafkaCollector(Options options) {
        this.options = options;
        this.catalog = new CollectorCatalog(options.maxProbes());
        // Partial summaries are merged from every flow's pair figures (SummaryMerge), which a flow
        // retired from the joiner's table no longer has: these joiners keep every flow (docs/KAFKA.md).
        this.joinerConfig = JoinerConfig.defaults().withTimeoutNanos(options.joinerTimeoutNanos())
                .withMaxFlows(Integer.MAX_VALUE).withFlowIdleNanos(Long.MAX_VALUE)
                .withDropReasonNames(catalog::dropReason);
        this.catalogReader = new CatalogReader(options.bootstrap(), options.topic(), options.timeoutMillis());
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, options.group());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 4 << 20);
        // A member joining or leaving moves only the partitions that change owner: the others keep
        // their joiners (an eager rebalance would flush every partition and split its open journeys).
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class.getName());
        this.consumer = new KafkaConsumer<>(p);
    }

    /** Partitions the group gives this collector now. */
    public int assignedPartitions() {
        return assigned;
    }

    /** Ends {@link #run} at its next poll, as the duration would. */
    public void stop() {
        stopRequested = true;
        consumer.wakeup();
    }

    public Result run() {
        catalogReader.readInto(catalog);
        consumer.subscribe(List.of(options.topic()), new Rebalance());
        long deadline = options.duration() == null ? Long.MAX_VALUE : System.nanoTime() + options.duration().toNanos();
        boolean byMarkers = false;
        try {
            while (!stopRequested && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    handle(r);
                }
                commit();
                if (!active.isEmpty() && active.keySet().stream().allMatch(p -> ended.getOrDefault(p, false))) {
                    byMarkers = true;
                    break;
                }
            }
        } catch (WakeupException e) {
            // stop() was called
        }
        for (PartitionJoin pj : active.values()) {
            if (!ended.getOrDefault(pj.partition, false)) keep(pj);
        }
        active.clear();
        catalogReader.readInto(catalog); // the finished nodes' ring-buffer losses
        PartialSummary merged = SummaryMerge.merge(results, catalog.lostByProbeName());
        return new Result(merged, List.copyOf(results), new Stats(batches, entries, badBatches, afterEnd, unknownNodeEntries,
                unknownProbeEntries, partitionsEnded, partitionsRevoked, byMarkers, firstBatchNanos, lastBatchNanos, firstBadBatch));
    }

    private void handle(ConsumerRecord<byte[], byte[]> r) {
        long now = System.nanoTime();
        if (batches == 0) firstBatchNanos = now;
        lastBatchNanos = now;
        batches++;
        TopicPartition tp = new TopicPartition(r.topic(), r.partition());
        MemorySegment batch = MemorySegment.ofArray(r.value() == null ? new byte[0] : r.value());
        int kind;
        try {
            kind = BatchFormat.check(batch);
        } catch (IllegalArgumentException e) {
            badBatches++;
            if (firstBadBatch == null) firstBadBatch = "partition " + r.partition() + " offset " + r.offset() + ": " + e.getMessage();
            toCommit.put(tp, new OffsetAndMetadata(r.offset() + 1));
            return;
        }
        int node = BatchFormat.nodeId(batch);
        if (!catalog.knows(node)) catalogReader.readInto(catalog);
        PartitionJoin pj = active.computeIfAbsent(r.partition(), p -> new PartitionJoin(p, catalog, joinerConfig));
        if (ended.getOrDefault(r.partition(), false)) {
            afterEnd++;
            return;
        }
        if (kind == BatchFormat.KIND_EVENTS) {
            pj.onEvents(batch);
            entries += BatchFormat.count(batch);
            toCommit.put(tp, new OffsetAndMetadata(r.offset() + 1));
        } else if (pj.onEnd(node)) {
            ended.put(r.partition(), true);
            partitionsEnded++;
            keep(pj);
            // The end marker's own offset: a later owner of the partition reads the marker again and ends at once.
            toCommit.put(tp, new OffsetAndMetadata(r.offset()));
        } else {
            toCommit.put(tp, new OffsetAndMetadata(r.offset()));
        }
    }

    private void keep(PartitionJoin pj) {
        results.add(pj.finish());
        unknownNodeEntries += pj.unknownNodeEntries;
        unknownProbeEntries += pj.unknownProbeEntries;
    }

    private void commit() {
        if (toCommit.isEmpty()) return;
        consumer.commitSync(Map.copyOf(toCommit));
        toCommit.clear();
    }

    /** Revoked or lost partitions are flushed and kept; assigned ones start a joiner of their own. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            giveUp(partitions);
            try {
                commit();
            } catch (RuntimeException e) {
                toCommit.clear(); // the next owner re-reads from the last committed offset: counted twice, not lost
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            giveUp(partitions);
            toCommit.keySet().removeAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                active.computeIfAbsent(tp.partition(), p -> new PartitionJoin(p, catalog, joinerConfig));
            }
            assigned = consumer.assignment().size();
        }

        private void giveUp(Collection<TopicPartition> partitions) {
            for (TopicPartition tp : partitions) {
                PartitionJoin pj = active.remove(tp.partition());
                boolean wasEnded = Boolean.TRUE.equals(ended.remove(tp.partition()));
                // A partition given up before any batch arrived has nothing to keep (the group settling).
                if (pj != null && !wasEnded && pj.batches > 0) {
                    keep(pj);
                    partitionsRevoked++;
                }
            }
            assigned = Math.max(0, consumer.assignment().size() - partitions.size());
        }
    }

    @Override
    public void close() {
        try {
            consumer.close();
        } finally {
            catalogReader.close();
        }
    }
}
