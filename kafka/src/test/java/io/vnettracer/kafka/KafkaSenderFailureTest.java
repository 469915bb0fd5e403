package io.vnettracer.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vnettracer.event.EventView;
import io.vnettracer.journey.ProbeCatalog;
import io.vnettracer.journey.JoinerConfig;
import io.vnettracer.journey.JourneyJoiner;
import io.vnettracer.worker.WorkerFailure;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** The sending thread runs as a Worker: an Error in it reaches the trace at once, and what it did not send is counted. */
class KafkaSenderFailureTest {
    private static final String TOPIC = "vhfail-events";

    @Test
    void anErrorInTheSenderIsReportedAndItsBatchesCounted() throws Exception {
        Node broker = new Node(0, "localhost", 9092);
        List<PartitionInfo> partitions = List.of(new PartitionInfo(TOPIC, 0, broker, new Node[] {broker}, new Node[] {broker}),
                new PartitionInfo(TOPIC, 1, broker, new Node[] {broker}, new Node[] {broker}));
        Cluster cluster = new Cluster("vhfail", List.of(broker), partitions, java.util.Set.of(), java.util.Set.of());
        MockProducer<byte[], byte[]> producer = new MockProducer<>(cluster, true, null, new ByteArraySerializer(), new ByteArraySerializer()) {
            private boolean failed;

            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
                if (record.topic().equals(TOPIC) && !failed) {
                    failed = true; // once: the end-of-trace markers, sent by finish on the test's thread, go through
                    throw new OutOfMemoryError("simulated: Java heap space");
                }
                return super.send(record, callback);
            }
        };
        KafkaTraceSink.Options options = new KafkaTraceSink.Options("localhost:9092", TOPIC, "vhfail-node", 2, 1, 8, 5, 1000);
        ProbeCatalog catalog = new ProbeCatalog().probe(0, "tx", "").probe(1, "mid", "").probe(2, "rx", "");
        CompletableFuture<WorkerFailure> told = new CompletableFuture<>();
        try (KafkaTraceSink sink = new KafkaTraceSink(options, catalog, Map.of(), producer)) {
            sink.reportFailuresTo(told::complete);
            GeneratedPath path = new GeneratedPath(10, 3);
            EventView view = new EventView();
            for (int k = 0; k < path.count; k++) {
                sink.onEvent(view.wrap(path.events, path.offset(k)));
            }
            WorkerFailure failure = told.get(2, TimeUnit.SECONDS);
            assertEquals("vnettracer-kafka-send", failure.thread());
            assertTrue(failure.line().startsWith("the Kafka sender (thread vnettracer-kafka-send) failed: java.lang.OutOfMemoryError"),
                    failure.line());
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> sink.finish(new JourneyJoiner(catalog, JoinerConfig.defaults()).summary(id -> 0)));
            KafkaTraceSink.Stats stats = sink.stats();
            assertEquals(path.count, stats.failedRecords() + stats.overflowRecords() + stats.sentRecords(),
                    "every event is sent, failed or dropped: " + stats + "; " + e.getMessage());
            assertEquals(0, stats.sentRecords(), stats.toString());
            assertNotNull(e.getMessage());
        }
    }
}
