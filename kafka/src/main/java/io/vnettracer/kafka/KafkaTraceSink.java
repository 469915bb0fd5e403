package io.vnettracer.kafka;

import io.vnettracer.event.EventView;
import io.vnettracer.journey.ProbeCatalog;
import io.vnettracer.journey.Summary;
import io.vnettracer.sinks.TraceSink;
import io.vnettracer.worker.Worker;
import io.vnettracer.worker.WorkerFailure;
import io.vnettracer.worker.WorkerFailures;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Publishes a trace to Kafka (docs/KAFKA.md): the node's probe catalog on the compacted catalog
 * topic when opened, every event in batches per partition while the trace runs (the drain thread
 * only copies the record into a pooled buffer; a thread of this sink sends), and at the end an
 * end-of-trace marker on every partition and the catalog again with the ring-buffer losses.
 *
 * <p>Opening fails, before any probe is attached, when the broker cannot be reached. Events that
 * could not be buffered (pool exhausted) or sent (the broker refused or timed out) are counted; if
 * any, {@link #finish} throws saying how many, so the trace exits 1. The sending thread itself
 * failing ends the trace at once ({@link #reportFailuresTo}); the batches it left are counted.
 */
public final class KafkaTraceSink implements TraceSink {
    /** How the sink batches and where it sends. */
    public record Options(String bootstrap, String topic, String node, int partitionsIfCreated, int recordsPerBatch,
                          int poolBatches, long maxBatchAgeMillis, long timeoutMillis) {
        public static Options of(String bootstrap, String topic, String node) {
            return new Options(bootstrap, topic, node, KafkaTopics.DEFAULT_PARTITIONS, 512, 256, 5, 30_000);
        }
    }

    private final Options options;
    private final NodeCatalog catalog;
    private final Producer<byte[], byte[]> producer;
    private final byte[] nodeKey;
    private final int partitions;
    private final PartitionBatches batches;
    private final Worker sender;
    private final WorkerFailures failures = new WorkerFailures();
    private final AtomicLong batchesSent = new AtomicLong();
    private final AtomicLong recordsSent = new AtomicLong();
    private final AtomicLong batchesFailed = new AtomicLong();
    private final AtomicLong recordsFailed = new AtomicLong();
    private volatile Exception firstFailure;
    private boolean closed;

    /**
     * Creates the topics if missing, publishes the catalog and waits for the broker to take it.
     *
     * @param dropReasons the kernel's drop reason names by code, so collectors anywhere can name them
     */
    public KafkaTraceSink(Options options, ProbeCatalog probes, Map<Integer, String> dropReasons) {
        this(options, probes, dropReasons, connect(options));
    }

    private static Producer<byte[], byte[]> connect(Options options) {
        KafkaTopics.ensure(options.bootstrap(), options.topic(), options.partitionsIfCreated(), (short) 1, options.timeoutMillis());
        return new KafkaProducer<>(producerProperties(options));
    }

    /** Through {@code producer}, whose topics exist (tests give a MockProducer). */
    KafkaTraceSink(Options options, ProbeCatalog probes, Map<Integer, String> dropReasons, Producer<byte[], byte[]> producer) {
        this.options = options;
        this.catalog = NodeCatalog.of(options.node(), probes, dropReasons);
        this.nodeKey = options.node().getBytes(StandardCharsets.UTF_8);
        this.producer = producer;
        try {
            this.partitions = producer.partitionsFor(options.topic()).size();
            publishCatalog(catalog);
        } catch (RuntimeException e) {
            producer.close(java.time.Duration.ZERO);
            throw e instanceof KafkaTransportException ? e
                    : new KafkaTransportException("cannot publish to " + options.topic() + " on " + options.bootstrap() + ": " + e, e);
        }
        this.batches = new PartitionBatches(catalog.nodeId(), partitions, options.recordsPerBatch(),
                Math.max(options.poolBatches(), partitions * 2), TimeUnit.MILLISECONDS.toNanos(options.maxBatchAgeMillis()));
        this.sender = Worker.start("the Kafka sender", "vnettracer-kafka-send", failures, this::sendLoop);
    }

    private static Properties producerProperties(Options options) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        // Several of our ~55 kB batches per Kafka batch: the default 16 kB would send each one alone.
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 << 10);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) options.timeoutMillis());
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) Math.max(options.timeoutMillis(), 120_000));
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(options.timeoutMillis(), 30_000));
        p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 << 20);
        return p;
    }

    private void publishCatalog(NodeCatalog c) {
        try {
            producer.send(new ProducerRecord<>(KafkaTopics.catalogTopic(options.topic()), nodeKey, c.toJson()))
                    .get(options.timeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new KafkaTransportException("cannot publish the probe catalog of node " + options.node() + " to "
                    + KafkaTopics.catalogTopic(options.topic()) + " on " + options.bootstrap() + ": " + cause, cause);
        }
    }

    @Override
    public void onEvent(EventView event) {
        batches.append(event);
    }

    /** Ends once stopped and every sealed batch is sent. */
    private void sendLoop(Worker self) {
        while (true) {
            PartitionBatches.Batch b = batches.takeFull();
            if (b == null) {
                if (!self.running() && !batches.hasFull()) return;
                self.idle(200_000);
                continue;
            }
            byte[] value = Arrays.copyOf(b.bytes, b.length());
            int count = b.count;
            int partition = b.partition;
            batches.release(b);
            try {
                send(partition, value, count);
            } catch (Error e) {
                // send counts what it cannot send; an Error ends the sender, and this batch with it
                batchesFailed.incrementAndGet();
                recordsFailed.addAndGet(count);
                throw e;
            }
        }
    }

    private void send(int partition, byte[] value, int count) {
        try {
            producer.send(new ProducerRecord<>(options.topic(), partition, nodeKey, value), (metadata, error) -> {
                if (error == null) {
                    batchesSent.incrementAndGet();
                    recordsSent.addAndGet(count);
                } else {
                    failed(count, error);
                }
            });
        } catch (RuntimeException e) {
            failed(count, e);
        }
    }

    private void failed(int count, Exception error) {
        batchesFailed.incrementAndGet();
        recordsFailed.addAndGet(count);
        if (firstFailure == null) firstFailure = error;
    }

    @Override
    public void reportFailuresTo(Consumer<WorkerFailure> owner) {
        failures.forwardTo(owner);
    }

    /** Seals the open batches, sends them, marks the end on every partition, and republishes the catalog with losses. */
    @Override
    public void finish(Summary summary) {
        batches.sealAll();
        stopSender();
        if (sender.failure() != null) {
            // the sender died: the batches it never took were not sent
            for (PartitionBatches.Batch b; (b = batches.takeFull()) != null; batches.release(b)) {
                failed(b.count, new IllegalStateException(sender.failure().line()));
            }
        }
        for (int p = 0; p < partitions; p++) {
            send(p, BatchFormat.endOfTrace(catalog.nodeId()), 0);
        }
        producer.flush();
        publishCatalog(catalog.finished(lostByProbeId(summary)));
        Stats s = stats();
        if (s.overflowRecords() > 0 || s.failedRecords() > 0 || s.failedBatches() > 0) {
            throw new IllegalStateException(describe() + ": " + s.failedRecords() + " events in " + s.failedBatches()
                    + " batches not delivered" + (firstFailure == null ? "" : " (first error: " + firstFailure + ")")
                    + ", " + s.overflowRecords() + " events dropped because every batch buffer was waiting for the broker");
        }
    }

    private Map<Integer, Long> lostByProbeId(Summary summary) {
        Map<String, Long> byName = new HashMap<>();
        for (Summary.Probe p : summary.probes()) byName.put(p.name(), p.lost());
        Map<Integer, Long> byId = new HashMap<>();
        for (NodeCatalog.Probe p : catalog.probes()) byId.put(p.id(), byName.getOrDefault(p.name(), 0L));
        return byId;
    }

    private void stopSender() {
        sender.stopAndAwait();
    }

    /** What was sent, failed and dropped so far. */
    public record Stats(long appendedRecords, long sentRecords, long sentBatches, long failedRecords, long failedBatches,
                        long overflowRecords, int partitions) {}

    public Stats stats() {
        return new Stats(batches.appended(), recordsSent.get(), batchesSent.get(), recordsFailed.get(), batchesFailed.get(),
                batches.overflowRecords(), partitions);
    }

    @Override
    public String describe() {
        return "kafka " + options.bootstrap() + " topic " + options.topic() + " node " + options.node();
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        stopSender();
        producer.close(java.time.Duration.ofMillis(options.timeoutMillis()));
    }
}
