package io.vnettracer.remote.collect;

/**
 * One batch as the durable log holds it.
 *
 * @param ringLost     by the agent's probe id: events lost in its ring buffer, cumulative
 * @param spoolDropped by the agent's probe id: records the agent's spool dropped, cumulative
 */
record LogFrame(long sequence, boolean last, long undecodable, long[] ringLost, long[] spoolDropped, byte[] records) {}
