/**
 * Scale-out over Apache Kafka (docs/KAFKA.md). {@link io.vnettracer.kafka.KafkaTraceSink} publishes a
 * trace's raw events in batches, one Kafka partition per packet identity hash, plus the node's probe
 * catalog; {@link io.vnettracer.kafka.KafkaCollector} is one member of a consumer group that joins
 * the partitions it is given, one joiner per partition; {@link io.vnettracer.kafka.SummaryMerge} adds
 * up the partial summaries of partitions and collectors.
 *
 * <p>Not here: the agents' gRPC transport (the remote module), clock alignment between nodes (events
 * of different kernels are joined on their own timestamps), exactly-once processing across a
 * collector crash (offsets are committed as batches are joined; see docs/KAFKA.md).
 */
package io.vnettracer.kafka;
