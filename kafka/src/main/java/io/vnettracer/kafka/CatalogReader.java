package io.vnettracer.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Reads the catalog topic from its beginning to its current end (no consumer group: every collector reads it all). */
final class CatalogReader implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final long timeoutMillis;
    long unreadable;

    CatalogReader(String bootstrap, String eventsTopic, long timeoutMillis) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(p);
        this.topic = KafkaTopics.catalogTopic(eventsTopic);
        this.timeoutMillis = timeoutMillis;
    }

    /** Every entry now on the topic, oldest first, into {@code catalog}. */
    void readInto(CollectorCatalog catalog) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofMillis(timeoutMillis));
        if (infos == null || infos.isEmpty()) {
            throw new KafkaTransportException("no catalog topic " + topic + ": has a trace published to this topic (trace --kafka)?");
        }
        List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofMillis(timeoutMillis));
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
            if (System.nanoTime() > deadline) {
                throw new KafkaTransportException("the catalog topic " + topic + " was not read to its end within " + timeoutMillis + " ms");
            }
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                if (r.value() == null) continue;
                try {
                    catalog.add(NodeCatalog.fromJson(r.value()));
                } catch (IllegalArgumentException e) {
                    unreadable++;
                }
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
