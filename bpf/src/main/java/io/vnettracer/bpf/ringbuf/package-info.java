/**
 * Consuming a BPF ring buffer map from user space: the kernel's memory is mapped once and records
 * are handed to the caller in place, without copying or allocating.
 *
 * <p>A {@link io.vnettracer.bpf.ringbuf.RingBufferReader} has exactly one consumer: it is not safe for
 * concurrent use. A record's memory is valid only inside the handler call that receives it.
 */
package io.vnettracer.bpf.ringbuf;
