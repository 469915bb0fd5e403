package io.vnettracer.bpf.map;

/** Map types, numbered as enum bpf_map_type in include/uapi/linux/bpf.h. */
public enum MapType {
    HASH(1),
    ARRAY(2),
    PROG_ARRAY(3),
    PERF_EVENT_ARRAY(4),
    PERCPU_HASH(5),
    PERCPU_ARRAY(6),
    LRU_HASH(9),
    LRU_PERCPU_HASH(10),
    LPM_TRIE(11),
    RINGBUF(27);

    private final int number;

    MapType(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    public boolean isPerCpu() {
        return this == PERCPU_ARRAY || this == PERCPU_HASH || this == LRU_PERCPU_HASH;
    }

    public String kernelName() {
        return "BPF_MAP_TYPE_" + name();
    }
}
