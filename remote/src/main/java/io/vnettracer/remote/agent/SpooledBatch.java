package io.vnettracer.remote.agent;

/**
 * One sealed batch waiting for its acknowledgement.
 *
 * @param records   EventLayout records, concatenated
 * @param byProbe   how many of the records each probe id wrote (what a drop of this batch costs each probe)
 */
record SpooledBatch(long sequence, byte[] records, int[] byProbe, boolean last) {
    long bytes() {
        return records.length + 64L;
    }
}
