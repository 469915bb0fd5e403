/**
 * OpenTelemetry export of journeys: {@link io.vnettracer.export.otlp.OtlpSink} turns each sampled
 * journey into a trace (a root span from first to last sighting, a child span per segment) and
 * posts batches to an OTLP/HTTP receiver as protobuf, off the drain thread. The OTLP messages are
 * built directly from the opentelemetry-proto classes, not through the OpenTelemetry SDK: spans here
 * are records of past kernel events with their own ids and timestamps, not operations being
 * instrumented, and the SDK would add its id generation, context and an HTTP stack to bypass.
 * Not here: metrics or logs over OTLP, gRPC transport.
 */
package io.vnettracer.export.otlp;
