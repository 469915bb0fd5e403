/**
 * Tracing across kernels: agents (one per kernel) and the collector that joins their records.
 * Generated protobuf and gRPC classes live in {@code io.vnettracer.remote.proto}.
 */
package io.vnettracer.remote;
